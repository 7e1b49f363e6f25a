"""The core's public entry points refuse, with a DataError naming the problem, what the
data guide promises they check: no samples, text, object arrays, byte strings, dates. The
check runs once at the entry: check_network's finite differences call the unchecked twin."""

from __future__ import annotations

import numpy as np
import pytest
from _entries import ENTRIES, WITH_TARGETS

from glassnet import Network, check_network
from glassnet.core.validation import DataError

NET = Network.mlp([3, 4, 2], activation="tanh", output="softmax")
P = NET.init(np.random.default_rng(0))
T1 = np.array([[1.0, 0.0]])

BAD_X = {
    "text": (np.array([["1", "2", "3"]]), "non-numeric dtype"),
    "words": (np.array([["a", "b", "c"]]), "non-numeric values"),
    "object of text": (np.array([[1, "x", 3]], dtype=object), "non-numeric values"),
    "object of numbers": (np.array([[1, 2.0, 3]], dtype=object), "non-numeric dtype"),
    "object of None": (np.array([[1.0, None, 3.0]], dtype=object), "non-numeric"),
    "bytes": (np.array([[b"1", b"2", b"3"]]), "byte strings"),
    "dates": (np.array([["2020-01-01"] * 3], dtype="datetime64[D]"), "dates or times"),
    "no rows": (np.ones((0, 3)), "no data"),
    "no rows of ints": (np.ones((0, 3), dtype=int), "no data"),
    "a list": ([[1.0, 2.0, 3.0]], r"must be an array, got list; use np.asarray\(X"),
    "a tuple": (((1.0, 2.0, 3.0), (4.0, 5.0, 6.0)), "must be an array, got tuple"),
}

def _entry(name):
    """``ENTRIES[name]`` (tests/_entries.py) on this module's network."""
    return lambda X, T: ENTRIES[name](NET, P, X, T)


@pytest.mark.parametrize("entry", [n for n in ENTRIES if n != "fit"])  # fit converts lists
@pytest.mark.parametrize("kind", list(BAD_X))
def test_every_entry_refuses_bad_features(entry, kind):
    X, words = BAD_X[kind]
    T = np.ones((len(X), 2)) / 2
    with pytest.raises(DataError, match=words) as info:
        _entry(entry)(X, T)
    assert str(info.value).startswith("X ")


@pytest.mark.parametrize("entry", WITH_TARGETS)
@pytest.mark.parametrize(
    "T", [np.array([["1", "0"]]), np.array([[1.0, "a"]], dtype=object), np.array([[b"1", b"0"]])]
)
def test_every_entry_refuses_bad_targets(entry, T):
    with pytest.raises(DataError, match="^T holds"):
        _entry(entry)(np.ones((1, 3)), T)


def test_good_input_of_other_numeric_dtypes_still_works():
    X = np.array([[1, 0, 2]])  # ints and bools are numbers
    np.testing.assert_allclose(NET.logits(P, X), NET.logits(P, X.astype(float)))
    assert NET.predict(P, X.astype(bool)).shape == (1,)
    assert check_network(NET, P, np.array([[0.1, -0.2, 0.3]]), T1).passed


def test_check_network_checks_its_inputs_once(monkeypatch):
    calls = []
    original = Network.check_inputs

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Network, "check_inputs", counted)
    relu = Network.mlp([3, 4, 2], activation="relu", output="softmax")
    params = relu.init(np.random.default_rng(1))
    report = check_network(relu, params, np.array([[0.5, -0.2, 0.3]]), T1)
    assert report.passed and len(calls) == 1  # not once per perturbed parameter (26 of them)


@pytest.mark.parametrize("entry", WITH_TARGETS)
@pytest.mark.parametrize("T", [[[1.0, 0.0]], ((1.0, 0.0),)])
def test_targets_that_are_not_arrays_are_named_as_such(entry, T):
    with pytest.raises(DataError, match=r"^T must be an array, got (list|tuple)"):
        _entry(entry)(np.ones((1, 3)), T)
