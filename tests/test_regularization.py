"""The one L2 function: its value and gradient against a hand-written sum and finite differences."""

import numpy as np
import pytest

from glassnet.core.gradcheck import numerical_gradient
from glassnet.core.regularization import l2_penalty


def test_penalty_and_gradient_follow_the_formula(rng):
    params = [{"W": rng.normal(size=(3, 4)), "b": rng.normal(size=(1, 4))},
              {"W": rng.normal(size=(4, 2)), "b": rng.normal(size=(1, 2))}]  # fmt: skip
    grads = [{k: rng.normal(size=v.shape) for k, v in p.items()} for p in params]
    scale = 0.37
    penalty, new = l2_penalty(params, grads, scale)
    by_hand = scale / 2 * sum(float((p["W"] ** 2).sum()) for p in params)  # biases excluded
    assert penalty == pytest.approx(by_hand, rel=1e-14)
    for p, g, n in zip(params, grads, new, strict=True):
        num = numerical_gradient(lambda: l2_penalty(params, grads, scale)[0], p["W"], 1e-6)
        np.testing.assert_allclose(n["W"] - g["W"], num, rtol=1e-7, atol=1e-10)
        np.testing.assert_array_equal(n["b"], g["b"])  # no decay on the biases


def test_buffers_give_the_same_numbers_in_place(rng):
    params = [{"W": rng.normal(size=(3, 4)), "b": rng.normal(size=(1, 4))}]
    grads = [{"W": rng.normal(size=(3, 4)), "b": rng.normal(size=(1, 4))}]
    expected = l2_penalty(params, grads, 0.5)
    scratch = [{"W": np.empty((3, 4))}]
    penalty, out = l2_penalty(params, grads, 0.5, out=grads, scratch=scratch)
    assert penalty == expected[0] and out[0]["W"] is grads[0]["W"]
    np.testing.assert_array_equal(grads[0]["W"], expected[1][0]["W"])
