"""Stop signals at chosen moments, shared by the tests of interrupted runs and writes."""

from __future__ import annotations

import signal

import glassnet.files.fileio as fileio
import glassnet.train.session as session_module


def interrupt_at_step(monkeypatch, n):
    """Every step runs as ever; the ``n``-th (from 1) raises KeyboardInterrupt after it,
    as Ctrl-C would."""
    real, count = session_module.fast.step, [0]

    def step(*args, **kwargs):
        out = real(*args, **kwargs)
        count[0] += 1
        if count[0] == n:
            raise KeyboardInterrupt
        return out

    monkeypatch.setattr(session_module.fast, "step", step)


def sigint_at_rename(monkeypatch):
    """A SIGINT raised as a finished file is renamed into place (the rename completes)."""
    real = fileio.rename_onto

    def rename(tmp, target):
        signal.raise_signal(signal.SIGINT)
        real(tmp, target)

    monkeypatch.setattr(fileio, "rename_onto", rename)
