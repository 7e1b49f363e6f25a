"""The core's public entry points in one table, for the tests of what they check at the
entry (tests/test_core_entry_checks.py: features and targets; tests/test_param_checks.py:
the parameters). Each is called as ``ENTRIES[name](net, params, X, T)``; ``T (N, C)`` is
one-hot (``fit`` takes its class codes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import glassnet as gn
from glassnet.core.gradcheck import relu_pattern

Entry = Callable[[gn.Network, Any, Any, Any], Any]

ENTRIES: dict[str, Entry] = {
    "predict": lambda net, p, X, T: net.predict(p, X),
    "predict_proba": lambda net, p, X, T: net.predict_proba(p, X),
    "logits": lambda net, p, X, T: net.logits(p, X),
    "hidden_activations": lambda net, p, X, T: net.hidden_activations(p, X),
    "loss": lambda net, p, X, T: net.loss(p, X, T),
    "loss_and_grad": lambda net, p, X, T: net.loss_and_grad(p, X, T),
    "backprop": lambda net, p, X, T: net.backprop(p, X, T),
    "check_network": lambda net, p, X, T: gn.check_network(net, p, X, T),
    "relu_pattern": lambda net, p, X, T: relu_pattern(net, X),  # (no parameters)
    "fit": lambda net, p, X, T: gn.fit(
        net, p, X, np.argmax(np.asarray(T), axis=1), gn.TrainConfig(epochs=1)
    ),
}
WITH_TARGETS = ["loss", "loss_and_grad", "backprop", "check_network"]  # take T as given
WITH_PARAMS = [name for name in ENTRIES if name != "relu_pattern"]
