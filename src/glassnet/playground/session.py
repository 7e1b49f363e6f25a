"""One playground session: the data, the settings, and a training run stepped in a thread.

:class:`Session` builds the network and a :class:`glassnet.train.session.Training` (the
one training loop, advanced one minibatch at a time) from :class:`Settings`; a
background thread calls ``Training.step()`` while the session plays, so the page never
waits for training. ``snapshot()`` copies the current parameters under the lock; every
picture is drawn from such a copy, outside the lock.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network
from glassnet.core.optimizers import get_optimizer
from glassnet.core.validation import DataError
from glassnet.data.encoding import fit_encoding
from glassnet.data.preprocessing import fit_standardizer
from glassnet.data.tables import split_indices
from glassnet.files.modelfile import Model
from glassnet.playground.settings import Settings
from glassnet.playground.sources import DataSet, plane_for
from glassnet.train.history import History
from glassnet.train.loop import TrainConfig, Training, TrainingDiverged

FOREVER = 10**9  # epochs: the playground trains until paused


@dataclass(frozen=True)
class Snapshot:
    """The run at one moment: parameters (copied), epoch, step count and history."""

    params: ParamList
    epoch: int
    steps: int
    history: History
    version: int  # grows with every change to the parameters


class Session:
    """A playground run (see the module docstring); thread-safe."""

    def __init__(self, data: DataSet, settings: Settings) -> None:
        self.lock = threading.RLock()
        self.playing = threading.Event()
        self.message = ""  # the last problem to show on the page ("" for none)
        self._stop = threading.Event()
        self.reset(data, settings)
        self._thread = threading.Thread(target=self._run, name="glassnet-trainer", daemon=True)
        self._thread.start()

    def reset(self, data: DataSet, settings: Settings) -> None:
        """A fresh run on ``data`` with ``settings``; raises DataError if they do not fit."""
        rng = np.random.default_rng(settings.seed)
        n = len(data.y)
        if settings.val_fraction > 0 and n >= 10:
            train, val = split_indices(n, settings.val_fraction, rng, data.y)
        else:
            train, val = np.arange(n), None
        X, names, encoding = data.X, data.feature_names, None
        if data.frame is not None:  # a table's columns, encoded as the training rows say
            encoding = fit_encoding(data.frame, rows=train)
            X, names = encoding.transform(data.frame).X, encoding.feature_names()
        assert X is not None
        scaler = fit_standardizer(X, train) if settings.standardize else None
        Xs = scaler.transform(X, np.float64) if scaler else X.astype(np.float64)
        plane = plane_for(Xs, names, settings.columns)
        net = build_network(X.shape[1], len(data.classes), settings)
        params = net.init(np.random.default_rng(settings.seed))
        config = TrainConfig(
            epochs=FOREVER,
            batch_size=settings.batch_size or None,
            optimizer=_optimizer(settings),
            weight_decay=settings.l2,
            restore_best=False,
            seed=settings.seed,
        )
        training = Training(net, params, Xs, data.y, config, train_rows=train, val_rows=val)
        with self.lock:
            self.playing.clear()
            self.data, self.settings, self.net, self.scaler = data, settings, net, scaler
            self.X, self.encoding, self.feature_names = X, encoding, names  # X: as encoded
            self.Xs, self.plane, self.rows = Xs, plane, (train, val)
            self.training, self.steps, self.message = training, 0, ""
            self.version = getattr(self, "version", 0) + 1
            self.data_version = getattr(self, "data_version", 0) + 1

    def step(self) -> None:
        """One optimizer step on the next minibatch (pauses the run if it diverges)."""
        with self.lock:
            try:
                self.training.step()
            except TrainingDiverged as exc:
                self.playing.clear()
                self.message = str(exc)
            self.steps += 1
            self.version += 1

    def snapshot(self) -> Snapshot:
        with self.lock:
            t = self.training
            live = t.epoch.params if t.epoch is not None else t.state.params
            params = [{k: np.array(v) for k, v in p.items()} for p in live]
            history = History(list(t.state.history.records), t.state.history.best_epoch)
            return Snapshot(params, t.state.epoch, self.steps, history, self.version)

    def model(self) -> Model:
        """The current parameters as a glassnet model (what ``glassnet.load`` returns)."""
        snap = self.snapshot()
        with self.lock:
            settings: dict[str, Any] = {
                "playground": self.settings.as_dict(),
                "source": self.data.source,
                "epochs_trained": snap.epoch,
            }
            return Model(
                self.net, snap.params, self.data.classes, self.scaler,
                self.feature_names, settings, self.encoding,
            )  # fmt: skip

    def close(self) -> None:
        self._stop.set()
        self.playing.set()  # wake the thread so that it sees the stop
        self._thread.join(timeout=5)

    def _run(self) -> None:
        """The trainer: steps while playing, in bursts of ~20 ms, each followed by a pause of
        5 ms in which the server takes the lock and Python's interpreter lock at once."""
        while not self._stop.is_set():
            self.playing.wait(timeout=0.5)
            if self._stop.is_set():
                return
            start = time.perf_counter()
            while self.playing.is_set() and time.perf_counter() - start < 0.02:
                self.step()
            time.sleep(0.005)


def build_network(D: int, C: int, s: Settings) -> Network:
    """The network for ``D`` inputs and ``C`` classes: softmax, or one logistic unit for two."""
    if s.output == "logistic" and C != 2:
        raise DataError(f"a logistic output needs two classes; this data has {C}: use softmax")
    n_out = 1 if s.output == "logistic" else C
    return Network.mlp([D, *s.hidden, n_out], s.activation, s.output, "mean")


def _optimizer(s: Settings) -> Any:
    if s.optimizer in ("momentum", "nesterov"):
        return get_optimizer(s.optimizer, learning_rate=s.learning_rate, momentum=s.momentum)
    return get_optimizer(s.optimizer, learning_rate=s.learning_rate)


def targets(net: Network, y: Array) -> Array:
    """The target matrix the head expects (one-hot rows, or a 0/1 column)."""
    from glassnet.data.batching import targets_for

    return targets_for(net, y, np.float64)
