"""What the page draws, computed from one snapshot with the network's own functions.

Every map is the network evaluated on a ``G x G`` grid of the picture plane
(:class:`~glassnet.playground.sources.Plane`): the class probabilities from
:meth:`Network.predict_proba`, every hidden unit from :meth:`Network.hidden_activations`.
Maps travel as base64 bytes (0..255 over a stated range); the diagnostics are those of
the report (:mod:`glassnet.views.diagnostics`) on a sample of the training rows.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.activations import Logistic, Tanh
from glassnet.playground.session import Session, Snapshot, targets
from glassnet.views.diagnostics import (
    describe_plateaus,
    detect_plateaus,
    gradient_norms,
    health_kind,
    unit_health,
)

GRID = 40  # points per side of every map
SHOWN = 400  # samples drawn in the pictures (a seeded choice when there are more)


def _bytes(values: Array, low: float, high: float) -> str:
    """``values`` scaled from ``[low, high]`` to 0..255, as base64 text."""
    span = high - low if high > low else 1.0
    q = np.clip(np.round((values - low) / span * 255), 0, 255).astype(np.uint8)
    return base64.b64encode(q.tobytes()).decode("ascii")


def shown_rows(n: int) -> Array:
    """The rows the pictures show: all of them, or a seeded choice of ``SHOWN``."""
    if n <= SHOWN:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, SHOWN, replace=False))


def data_message(s: Session) -> dict[str, Any]:
    """Sent when the data or the network changes: the samples on the plane, the setup."""
    with s.lock:
        data, plane, net, (train, val) = s.data, s.plane, s.net, s.rows
        Xs, settings = s.Xs, s.settings
    rows = shown_rows(len(data.y))
    UV = plane.coords(Xs[rows])
    tail = 0 if Xs.shape[1] <= 2 else 1  # a projection's rare far outliers stay off the picture
    lo, hi = np.percentile(UV, tail, axis=0), np.percentile(UV, 100 - tail, axis=0)
    pad = 0.1 * np.maximum(hi - lo, 1e-9)
    is_val = np.zeros(len(data.y), dtype=bool)
    if val is not None:
        is_val[val] = True
    return {
        "source": data.source,
        "plane": plane.how,
        "axes": list(plane.names),
        "extent": [float(lo[0] - pad[0]), float(hi[0] + pad[0]),
                   float(lo[1] - pad[1]), float(hi[1] + pad[1])],
        "points": np.round(UV, 4).tolist(),
        "labels": data.y[rows].tolist(),
        "validation": is_val[rows].tolist(),
        "classes": [str(c) for c in data.classes],
        "features": list(s.feature_names),
        "sizes": net.sizes,
        "activations": [a.name for a in net.activations],
        "n_train": len(train),
        "n_val": 0 if val is None else len(val),
        "settings": settings.as_dict(),
        "columns": [*data.feature_names, settings.target] if settings.data == "file" else [],
    }  # fmt: skip


def frame_message(s: Session, extent: list[float]) -> dict[str, Any]:
    """Sent while training: maps, hidden-space points, weights, history, diagnostics."""
    with s.lock:  # the parameters and the network they belong to, taken together
        snap = s.snapshot()
        net, plane, Xs, data, (train, _) = s.net, s.plane, s.Xs, s.data, s.rows
        playing, message = s.playing.is_set(), s.message
    u = np.linspace(extent[0], extent[1], GRID)
    v = np.linspace(extent[3], extent[2], GRID)  # top row first
    U, V = np.meshgrid(u, v)
    Xg = plane.inputs(np.column_stack([U.ravel(), V.ravel()]))  # (G*G, D)
    hidden = net.hidden_activations(snap.params, Xg)  # one forward pass for every map
    Zo, _ = net.layers[-1].forward(snap.params[-1], hidden[-1] if hidden else Xg)
    P = net.head.output(Zo)  # (G*G, C) or (G*G, 1): Network.predict_proba's two steps
    if P.shape[1] == 1:
        P = np.hstack([1 - P, P])
    units = []
    for layer, (A, act) in enumerate(zip(hidden, net.activations, strict=True)):
        low, high = _range(act, A)
        for j in range(A.shape[1]):
            units.append({"layer": layer, "unit": j, "low": low, "high": high,
                          "map": _bytes(A[:, j], low, high)})  # fmt: skip
    rows = shown_rows(len(data.y))
    return {
        "epoch": snap.epoch,
        "steps": snap.steps,
        "playing": playing,
        "message": message,
        "boundary": {
            "cls": _bytes(P.argmax(axis=1), 0, 255),
            "confidence": _bytes(P.max(axis=1), 1.0 / P.shape[1], 1.0),
        },
        "units": units,
        "space": _hidden_space(net.hidden_activations(snap.params, Xs[rows])),
        "weights": [np.round(p["W"], 4).tolist() for p in snap.params],
        "biases": [np.round(p["b"][0], 4).tolist() for p in snap.params],
        "history": _history(snap),
        "diagnostics": _diagnostics(s, snap, Xs, data.y, train),
    }


def _range(act: Any, A: Array) -> tuple[float, float]:
    """The colour range of a unit's map: the activation's own range where it has one."""
    if isinstance(act, Logistic):
        return 0.0, 1.0
    if isinstance(act, Tanh):
        return -1.0, 1.0
    top = max(float(np.max(np.abs(A))) if A.size else 1.0, 1e-12)
    return -top, top  # ReLU and identity: 0 is the middle colour


def _hidden_space(hidden: list[Array]) -> dict[str, Any] | None:
    """The samples as the first hidden layer of 2 or 3 units sees them."""
    for layer, A in enumerate(hidden):
        if A.shape[1] in (2, 3):
            return {"layer": layer, "points": np.round(A, 4).tolist()}
    return None


def _history(snap: Snapshot, most: int = 400) -> dict[str, list[Any]]:
    """Per epoch, or at ``most`` evenly spaced epochs of a long run."""
    records = snap.history.records
    if len(records) > most:
        records = [records[i] for i in np.linspace(0, len(records) - 1, most).astype(int)]
    return {
        "epoch": [r.epoch for r in records],
        "loss": [r.loss for r in records],
        "val_loss": [r.val_loss for r in records],
        "accuracy": [r.accuracy for r in records],
        "val_accuracy": [r.val_accuracy for r in records],
    }


def _diagnostics(s: Session, snap: Snapshot, Xs: Array, y: Array, train: Array) -> dict[str, Any]:
    """Gradient norm per layer and unit health per hidden layer, as in the report."""
    rows = train[shown_rows(len(train))]
    X, T = Xs[rows], targets(s.net, y[rows])
    loss, grads = s.net.loss_and_grad(snap.params, X, T)
    hidden = s.net.hidden_activations(snap.params, X)
    names = [a.name for a in s.net.activations]
    losses = [r.loss for r in snap.history.records]
    plateaus = detect_plateaus(losses)
    return {
        "loss": float(loss),
        "grad_norms": gradient_norms(grads),
        "health": [
            {"kind": health_kind(n), "fraction": unit_health(A, n)}
            for A, n in zip(hidden, names, strict=True)
        ],
        "plateaus": describe_plateaus(plateaus, len(losses), "epoch") if losses else "",
    }
