"""Recorded calls made ready to replay (``core/call_forms.py``): the same numbers as the
call as recorded, for every value a float can hold."""

import numpy as np
import pytest

from glassnet.core.call_forms import SPREAD_MAX, prepared
from glassnet.core.program import replay


def _awkward(dtype, shape=(7, 5)):
    """Random values with the awkward ones among them: signed zeros, NaN, infinities,
    subnormals, the extremes."""
    Z = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    info = np.finfo(dtype)
    Z.flat[:10] = [-0.0, 0.0, np.nan, -np.nan, np.inf, -np.inf, info.smallest_subnormal,
                   -info.smallest_subnormal, info.max, -info.max]  # fmt: skip
    return Z


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("function", [np.maximum, np.minimum])
@pytest.mark.parametrize("number", [0.0, 0, -1.5, 1e-300])
@pytest.mark.parametrize("first", [True, False])
def test_maximum_of_an_array_and_a_number_spread_out_gives_the_same_bits(
    dtype, function, number, first
):
    Z = _awkward(dtype)
    args = (number, Z) if first else (Z, number)
    with np.errstate(all="ignore"):
        expected = function(*args)
        out = np.empty_like(Z)
        call = prepared((function, args, {"out": out}))
        replay([call])
    assert call[1][0 if first else 1] is not number  # spread into an array
    assert out.tobytes() == expected.tobytes()  # every bit, NaN's sign included


def test_the_spread_number_is_shared_and_read_only():
    a = prepared((np.maximum, (np.zeros((4, 3)), 0.0), {"out": np.zeros((4, 3))}))[1][1]
    b = prepared((np.maximum, (np.zeros((2, 6)), 0.0), {"out": np.zeros((2, 6))}))[1][1]
    assert a.shape == (4, 3) and b.shape == (2, 6) and np.shares_memory(a, b)
    assert not a.flags.writeable and not np.any(a)


def test_a_call_that_would_not_gain_is_left_as_recorded():
    Z, Z32 = np.zeros((3, 2)), np.zeros((3, 2), np.float32)
    for call in [
        (np.add, (Z, 1.0), {"out": Z}),  # NumPy's loop for a scalar is fast here
        (np.maximum, (Z, 1.0), {}),  # no output buffer
        (np.maximum, (Z, Z), {"out": Z}),  # no number
        (np.maximum, (Z.T, 0.0), {"out": Z.T}),  # not C-contiguous
        (np.maximum, (Z32, 1e300), {"out": Z32}),  # beyond float32: left to NumPy
        (np.maximum, (np.zeros(SPREAD_MAX + 1), 0.0), {"out": np.zeros(SPREAD_MAX + 1)}),
    ]:
        spread = [a for a in prepared(call)[1] if type(a) is np.ndarray and not a.flags.writeable]
        assert not spread
