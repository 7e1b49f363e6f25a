"""While report.html is written after training, ``glassnet train`` says so, and a second stop
signal gives the report up at once (exit 128 + the first signal), naming what is missing;
one signal alone waits for it (NU8 2)."""

from __future__ import annotations

import signal

import pytest

from glassnet.cli.main import main
from glassnet.core import fast
from glassnet.files.modelfile import load_model
from glassnet.views import run_report

pytestmark = pytest.mark.skipif(not hasattr(signal, "raise_signal"), reason="needs signals")


def _argv(out):
    return ["train", "--dataset", "moons", "--n-samples", "200", "--hidden", "8", "--epochs",
            "6", "--batch-size", "50", "--patience", "0", "--progress", "off", "--out", str(out)]


def _signals_in_report(monkeypatch, signums):
    original = run_report.report_data

    def report_data(*args, **kwargs):
        for s in signums:
            signal.raise_signal(s)
        return original(*args, **kwargs)

    monkeypatch.setattr(run_report, "report_data", report_data)


def _interrupt_training(monkeypatch, signum, at=3):
    step, calls = fast.step, [0]

    def interrupted(*args, **kwargs):
        calls[0] += 1
        if calls[0] == at:
            signal.raise_signal(signum)
        return step(*args, **kwargs)

    monkeypatch.setattr(fast, "step", interrupted)


def _leftovers(folder):
    return [p.name for p in folder.iterdir() if ".tmp" in p.name]


@pytest.mark.parametrize(("first", "second"), [("SIGINT", "SIGINT"), ("SIGTERM", "SIGINT")])
def test_two_signals_as_the_report_of_a_finished_run_is_written_give_it_up(
    tmp_path, monkeypatch, capsys, first, second
):
    _signals_in_report(monkeypatch, [getattr(signal, first), getattr(signal, second)])
    code = main(_argv(tmp_path / "m.npz"))
    out, err = capsys.readouterr()
    assert code == 128 + getattr(signal, first), err
    assert "writing report.html ..." in out
    assert "not written: report.html" in err and first in err, err
    assert not (tmp_path / "report.html").exists() and _leftovers(tmp_path) == []
    assert (tmp_path / "history.json").exists() and (tmp_path / "loss.png").exists()
    assert load_model(tmp_path / "m.npz").settings["run"]["stop_reason"] == "completed"


def test_one_signal_as_the_report_is_written_waits_for_it(tmp_path, monkeypatch, capsys):
    _signals_in_report(monkeypatch, [signal.SIGTERM])
    code = main(_argv(tmp_path / "m.npz"))
    out, err = capsys.readouterr()
    assert code == 128 + signal.SIGTERM, err
    assert "writing report.html ..." in out and "came after the last epoch" in err
    assert (tmp_path / "report.html").exists()


@pytest.mark.parametrize("at", [1, 3])
def test_a_second_signal_as_an_interrupted_run_writes_its_report_gives_it_up(
    tmp_path, monkeypatch, capsys, at
):
    _interrupt_training(monkeypatch, signal.SIGINT, at)
    _signals_in_report(monkeypatch, [signal.SIGINT])
    code = main(_argv(tmp_path / "m.npz"))
    out, err = capsys.readouterr()
    assert code == 130, err
    assert "writing report.html ..." in out
    assert "a second signal: not written report.html" in err, err
    assert not (tmp_path / "report.html").exists() and _leftovers(tmp_path) == []
    run = load_model(tmp_path / "m.npz").settings["run"]
    assert run["stop_reason"] == "interrupted" and run["signal"] == "SIGINT"
    assert (tmp_path / "history.json").exists()
