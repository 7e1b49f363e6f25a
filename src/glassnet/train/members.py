"""What a population's members give: the result (:class:`PopulationResult`, :func:`join`
for a population trained in groups or shares). Their settings are
:class:`glassnet.train.member_settings.Members` (importable from here too); their record
during the run is :class:`glassnet.train.tracker.Tracker`."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.train.member_settings import Members as Members


@dataclass
class PopulationResult:
    """What a population run gives: stacked parameters and per-member curves.

    ``loss (E, K)``: training loss per sample of each epoch (penalty included, as fit
    reports it); ``val_loss``, ``val_accuracy (E, K)`` when there is a validation set
    (accuracy None for regression), NaN after a member stopped; ``best_epoch (K,)``: the
    epoch whose parameters each member keeps; ``diverged (K,)`` booleans; ``initial``: epoch
    0, the initial parameters' ``loss``, ``val_loss`` and ``val_accuracy (K,)``, when scored;
    ``final``: the scores of what was saved per split (``"train"``, ``"validation"``, ...),
    when measured: the model's ``loss`` and ``accuracy`` and each member's (``member_loss``,
    ``member_accuracy``), as a single run's :attr:`History.final`. ``loss_penalty``: what
    the training losses carry of an L2 penalty (epoch 0's too), as a single run's
    :attr:`History.loss_penalty` says it ("": none).

    A regressor of several target columns also records ``val_columns (E, K, C)``, each
    validation loss per column as trained; in the targets' units (``loss_unit`` says what
    the losses measure, :mod:`glassnet.train.target_units`) its validation losses are
    ``mean_c s_c**2 L_c`` and ``monitored_loss (E, K)`` keeps them as compared.
    """

    params: ParamList
    loss: Array
    val_loss: Array | None
    val_accuracy: Array | None
    best_epoch: Array
    diverged: Array
    members: Members = field(repr=False)
    stopped: Array | None = None  # (K,) booleans: stopped early (patience ran out)
    initial: dict[str, Array | None] | None = None  # epoch 0, as as_dict writes it first
    final: dict[str, dict[str, Any]] | None = None  # split -> scores of what was saved
    interrupted: Array | None = None  # (K,) booleans: still training when a signal came
    val_columns: Array | None = None  # (E, K, C) validation losses per target column
    monitored_loss: Array | None = None  # (E, K) validation losses as compared (as trained)
    loss_unit: str = ""  # what the losses measure, when not the head's own loss
    loss_penalty: str = ""  # what the training losses carry of an L2 penalty ("": none)

    def stop_reasons(self) -> list[str]:
        """Each member's ending in a single run's words (:attr:`History.stop_reason`):
        ``"diverged"``, ``"early stopping"``, ``"interrupted"`` (still training when a stop
        signal came) or ``"completed"`` (every epoch ran)."""
        none = np.zeros(len(self.diverged), bool)
        stopped = self.stopped if self.stopped is not None else none
        cut = self.interrupted if self.interrupted is not None else none
        return [
            "diverged" if d else "early stopping" if s else "interrupted" if c else "completed"
            for d, s, c in zip(self.diverged, stopped, cut, strict=True)
        ]

    def monitored(self) -> Array:
        """The curve each member's early stopping watches, ``(E + 1, K)`` from epoch 0 when
        it was scored (``(E, K)`` from epoch 1 otherwise): validation loss when there is a
        validation set, else training loss; NaN where a member did not train."""
        first = self.initial or {}
        name = "val_loss" if self.val_loss is not None else "loss"
        if self.monitored_loss is not None:  # validation losses in other units than compared
            name = "monitored_loss"
        curves = _lead(first.get(name), getattr(self, name))
        return np.asarray(curves, dtype=float)

    def lowest_epoch(self) -> Array:
        """Each member's epoch ``(K,)`` with the lowest monitored loss (:meth:`monitored`),
        as :meth:`History.lowest_epoch` (the first of equal ones)."""
        curves = self.monitored()
        first = 0 if self.initial else 1
        finite = np.where(np.isfinite(curves), curves, np.inf)
        return np.argmin(finite, axis=0) + first

    def as_dict(self) -> dict[str, Any]:
        """The curves as JSON-ready lists: ``loss``, ``val_loss``, ``val_accuracy`` as
        ``[epoch][member]`` (``None`` where a member did not train or diverged), the spread
        of the monitored curve per epoch (``min``, ``median``, ``max`` over the members that
        trained), each member's kept epoch and stop reason (and ``loss_penalty`` when set)."""
        curves = {"loss": self.loss, "val_loss": self.val_loss, "val_accuracy": self.val_accuracy}
        first = self.initial or {}  # epoch 0 (the initialization) leads, as in a single run
        curves = {n: _lead(first.get(n), c) for n, c in curves.items()}
        out: dict[str, Any] = {"members": len(self.members), "seeds": list(self.members.seeds)}
        out["epoch"] = list(range(0 if first else 1, self.loss.shape[0] + 1))
        out.update({name: _json(c) for name, c in curves.items() if c is not None})
        watched = np.asarray(curves["val_loss"] if self.val_loss is not None else curves["loss"])
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an epoch no member trained
            finite = np.where(np.isfinite(watched), watched, np.nan)
            spread = {f: getattr(np, f"nan{f}")(finite, axis=1) for f in ("min", "median", "max")}
        out["spread"] = {"of": "val_loss" if self.val_loss is not None else "loss",
                         **{f: _json(v) for f, v in spread.items()}}  # fmt: skip
        out["kept_epoch"] = [int(e) for e in self.best_epoch]
        out["best_epoch"] = [int(e) for e in self.lowest_epoch()]
        if self.monitored_loss is not None:  # as a single run's History.as_dict
            out["best_epoch_of"] = "monitored_loss"
            monitored = _lead(first.get("monitored_loss"), self.monitored_loss)
            out["monitored_loss"] = _json(np.asarray(monitored))
            lowest = np.where(np.isfinite(watched), watched, np.inf)
            out["lowest_val_loss_epoch"] = [int(e) + out["epoch"][0] for e in lowest.argmin(0)]
        if self.loss_unit:
            out["loss_unit"] = self.loss_unit
        out["stop_reason"] = self.stop_reasons()
        if self.final is not None:
            out["final"] = _json_tree(self.final)
        if self.loss_penalty:  # as a single run's history.json
            out["loss_penalty"] = self.loss_penalty
        return out


def _lead(row: Array | None, curves: Array | None) -> Array | None:
    """``curves (E, K)`` with ``row (K,)`` as their first epoch (when both are given)."""
    return curves if row is None or curves is None else np.vstack([row, curves])


def _json_tree(value: Any) -> Any:
    """Dicts, lists and arrays of numbers as JSON values (non-finite numbers as ``None``)."""
    if isinstance(value, dict):
        return {k: _json_tree(v) for k, v in value.items()}
    if value is None:
        return None
    return _json(value) if np.ndim(value) else _json(np.atleast_1d(value))[0]


def _json(values: Array) -> Any:
    """Nested lists of floats, ``None`` for what is not finite."""
    a = np.asarray(values, dtype=float)
    return (
        [_json(row) for row in a]
        if a.ndim > 1
        else [float(v) if np.isfinite(v) else None for v in a]
    )


def join(parts: Sequence[PopulationResult], members: Members) -> PopulationResult:
    """One result from the groups' results, members in order; curves of groups that
    stopped early are padded with NaN to the longest group's epochs."""
    if len(parts) == 1:
        return parts[0]
    epochs = max(p.loss.shape[0] for p in parts)

    def cat(name: str) -> Any:
        values = [getattr(p, name) for p in parts]
        if values[0] is None:
            return None
        if values[0].ndim == 2:  # (E, K) curves
            values = [np.pad(v, ((0, epochs - len(v)), (0, 0)), constant_values=np.nan)
                      for v in values]  # fmt: skip
        if values[0].ndim == 3:  # (E, K, C) curves per column
            values = [np.pad(v, ((0, epochs - len(v)), (0, 0), (0, 0)), constant_values=np.nan)
                      for v in values]  # fmt: skip
            return np.concatenate(values, axis=1)
        return np.concatenate(values, axis=-1)

    params = [
        {k: np.concatenate([p.params[i][k] for p in parts]) for k in parts[0].params[i]}
        for i in range(len(parts[0].params))
    ]
    if any(p.interrupted is not None for p in parts):
        for p in parts:
            p.interrupted = np.zeros_like(p.diverged) if p.interrupted is None else p.interrupted
    return PopulationResult(
        params, loss=cat("loss"), val_loss=cat("val_loss"), val_accuracy=cat("val_accuracy"),
        best_epoch=cat("best_epoch"), diverged=cat("diverged"), members=members,
        stopped=cat("stopped"), interrupted=cat("interrupted"), val_columns=cat("val_columns"),
    )  # fmt: skip


class PopulationInterrupted(KeyboardInterrupt):
    """A stop signal (Ctrl-C, ``SIGTERM``, ...) during
    :func:`glassnet.train.population.fit_population`. ``result`` holds every member that
    had begun: the finished ones as they ended, the ones still training at their kept
    epoch so far (epoch 0, their initialization, before their first epoch ended; their
    stop reason ``"interrupted"``); ``planned`` is the number of members asked for. Members
    trained in later groups that had not begun are left out (``len(result.members)``)."""

    def __init__(self, result: PopulationResult, planned: int) -> None:
        super().__init__("training interrupted")
        self.result, self.planned = result, planned


def at_start(
    params: ParamList, members: Members, validated: bool, classifier: bool
) -> PopulationResult:
    """Members stopped before their first epoch ended: kept at epoch 0 (``params``, their
    initialization), with no epochs in their curves and stop reason ``"interrupted"``."""
    K = len(members)
    empty = np.zeros((0, K))
    return PopulationResult(
        params, loss=empty, val_loss=empty if validated else None,
        val_accuracy=empty if validated and classifier else None,
        best_epoch=np.zeros(K, dtype=np.int64), diverged=np.zeros(K, bool), members=members,
        stopped=np.zeros(K, bool), interrupted=np.ones(K, bool),
    )  # fmt: skip
