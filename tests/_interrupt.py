"""Ctrl-C at a chosen epoch, for the tests of how a run ends: a callback that raises
:class:`KeyboardInterrupt` where it sees that epoch's record (as the stop-signal handler
raises it, :mod:`glassnet.cli.stops`), and the same put in place of the CLI's progress."""


def interrupt_at(epoch):
    """A training callback that raises KeyboardInterrupt in epoch ``epoch``."""

    def tick(record):
        if record.epoch == epoch:
            raise KeyboardInterrupt

    return tick


def stop_in_epoch(monkeypatch, epoch):
    """``glassnet train`` interrupted in epoch ``epoch`` (its progress raises there)."""
    import glassnet.train.progress as progress_module

    monkeypatch.setattr(
        progress_module, "progress", lambda epochs, mode="auto": (interrupt_at(epoch), lambda: None)
    )
