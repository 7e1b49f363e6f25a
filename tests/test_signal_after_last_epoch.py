"""A stop signal that comes after the last epoch, as the files are written: the line on
stderr says how training ended in the record's own words (``completed``, ``early
stopping``, ...), for every ending, and the record says the same (NU9 9)."""

import json
import os
import signal

import pytest

from glassnet.cli.main import main
from glassnet.files import modelfile
from glassnet.files.modelfile import load_model

MOONS = ["--dataset", "moons", "--n-samples", "200", "--hidden", "4", "--seed", "0"]
ENDINGS = {  # how a run is made to end each way
    "completed": ["--epochs", "3", "--patience", "0"],
    "early stopping": ["--epochs", "400", "--patience", "1", "--lr", "0.3"],
}


@pytest.fixture
def signal_as_the_model_is_saved(monkeypatch):
    """SIGINT sent while the model file is written (after the last epoch)."""
    from glassnet.cli import train_command

    real = modelfile.save_model

    def save(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(modelfile, "save_model", save)
    monkeypatch.setattr(train_command, "save_model", save)


def _last_line(capsys):
    err = capsys.readouterr().err.strip()
    return err.splitlines()[-1]


@pytest.mark.parametrize("ending", sorted(ENDINGS))
@pytest.mark.parametrize("ensemble", [[], ["--ensemble", "2"]])
def test_train_says_the_records_ending(signal_as_the_model_is_saved, tmp_path, capsys, ending,
                                       ensemble):  # fmt: skip
    out = tmp_path / "m.npz"
    argv = ["train", *MOONS, *ENDINGS[ending], *ensemble, "--progress", "off"]
    assert main([*argv, "--out", str(out)]) == 128 + signal.SIGINT
    line = _last_line(capsys)
    history = json.loads((tmp_path / "history.json").read_text())
    run = load_model(out).settings["run"]
    reasons = [m["stop_reason"] for m in run.get("members", [run])]
    assert set(reasons) == {ending}, reasons  # the set-up ends as meant
    said = ending if not ensemble else f"2 {ending}"
    assert line.startswith("SIGINT came after the last epoch, as the files were written"), line
    assert f"had ended before it (its record says {said}) and every file is written" in line
    assert "completed" not in line or ending == "completed", line
    assert history["stop_reason"] in (ending, [ending] * 2)


SWEEP_ENDINGS = {  # a sweep refuses --patience 0: each member keeps its best epoch
    "completed": ["--epochs", "3", "--patience", "20"],
    "early stopping": ["--epochs", "400", "--patience", "1"],
}


@pytest.mark.parametrize("ending", sorted(SWEEP_ENDINGS))
def test_sweep_says_its_members_endings(signal_as_the_model_is_saved, tmp_path, capsys, ending):
    argv = ["sweep", *MOONS, "--lr", "0.3,0.2", *SWEEP_ENDINGS[ending], "--out", str(tmp_path)]
    assert main(argv) == 128 + signal.SIGINT
    line = _last_line(capsys)
    rows = (tmp_path / "results.csv").read_text().splitlines()
    column = rows[0].split(",").index("stop_reason")
    reasons = [r.split(",")[column] for r in rows[1:]]
    assert reasons == [ending] * 2, reasons
    assert f"every member had ended before it (its record says 2 {ending})" in line, line


def test_the_line_counts_each_ending():
    from glassnet.cli.stops import after_last_epoch

    line = after_last_epoch("every member", ["completed", "early stopping", "completed"])
    assert "(its record says 2 completed, 1 early stopping)" in line
    assert "(its record says diverged)" in after_last_epoch("the run", ["diverged"])
