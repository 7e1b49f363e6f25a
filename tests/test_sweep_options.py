"""``glassnet sweep`` takes ``glassnet train``'s options that make sense per run (each
member then equals its own ``glassnet train`` run) and refuses the others by name."""

import csv
import sys

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model

MOONS = ["--dataset", "moons", "--n-samples", "120", "--hidden", "5", "--epochs", "40"]


def _best_row(folder):
    with open(folder / "results.csv", newline="") as fh:
        return next(csv.DictReader(fh))


@pytest.mark.parametrize(
    "per_run",
    [
        ["--patience", "2", "--schedule", "step"],
        ["--patience", "4", "--schedule", "plateau"],
        ["--patience", "3", "--no-standardize"],
        ["--schedule", "exponential", "--task", "regression"],
    ],
)
def test_the_best_member_is_its_own_train_run(tmp_path, capsys, per_run):
    """The oracle: ``glassnet train`` with the best member's learning rate and seed and the
    same per-run options gives the parameters the sweep saved in best.npz."""
    sweep = tmp_path / "sw"
    argv = ["sweep", *MOONS, "--lr", "0.02,0.2", "--out", str(sweep), *per_run]
    assert main(argv) == 0
    best = _best_row(sweep)
    mine = tmp_path / "own.npz"
    patience = per_run if "--patience" in per_run else [*per_run, "--patience", "0"]
    argv = ["train", *MOONS, "--lr", best["learning_rate"], "--seed", best["split_seed"],
            "--init-seed", best["init_seed"],
            "--progress", "off", "--out", str(mine), *patience]  # fmt: skip
    if "--patience" not in per_run:  # a sweep keeps each member's best epoch: so does train
        argv[-1] = "1000"
    assert main(argv) == 0
    got, want = load_model(sweep / "best.npz"), load_model(mine)
    for a, b in zip(got.params, want.params, strict=True):
        for k in a:
            np.testing.assert_allclose(a[k], b[k], rtol=1e-9, atol=1e-12)
    assert (got.scaler is None) == ("--no-standardize" in per_run)
    assert (got.classes is None) == ("regression" in per_run)


@pytest.mark.parametrize(
    ("option", "why"),
    [
        (["--test-fraction", "0.2"], "ranks on its validation rows"),
        (["--ensemble", "3"], "--seeds members per combination"),
        (["--resume"], "no checkpoint"),
        (["--progress", "off"], "no per-epoch progress"),
        (["--preset", "digits"], "its own options"),
        (["--init-seed", "3"], "glassnet train --init-seed K trains that member alone"),
    ],
)
def test_train_options_a_sweep_cannot_honour_are_refused_by_name(tmp_path, capsys, option, why):
    assert main(["sweep", *MOONS, "--out", str(tmp_path / "sw"), *option]) == 2
    said = capsys.readouterr()
    assert said.out == "" and len(said.err.strip().splitlines()) == 1
    assert f"{option[0]} does not apply to glassnet sweep" in said.err and why in said.err
    assert not (tmp_path / "sw").exists()


@pytest.mark.parametrize("lr", ["0.05", "0.05,0.1"])
def test_patience_0_is_refused_as_its_meaning_in_train_keep_the_last_epoch_is_not_a_sweeps(
    tmp_path, capsys, lr
):
    """``train --patience 0`` keeps the last epoch; a sweep ranks each member on its best, so
    it refuses 0 rather than give it another meaning (NU7 4), and its --help says so."""
    assert main(["sweep", *MOONS, "--lr", lr, "--patience", "0", "--out", str(tmp_path)]) == 2
    said = capsys.readouterr()
    assert said.out == "" and len(said.err.strip().splitlines()) == 1, said
    assert "--patience 0 does not apply to glassnet sweep" in said.err, said.err
    assert "leave --patience out" in said.err and list(tmp_path.iterdir()) == []
    with pytest.raises(SystemExit):
        main(["sweep", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "so --patience 0 (train's 'keep the last epoch') is refused" in text, text


def test_every_sweep_default_is_in_its_help(capsys):
    with pytest.raises(SystemExit):
        main(["sweep", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--patience", "--schedule", "--task", "--lr", "--weight-decay", "--momentum"):
        part = text.split(f"{option} ")[-1]
        assert "default" in part.split("--")[0] or "default" in part[:300], option
    assert "(0.003,)" not in text and "--test-fraction" not in text


@pytest.mark.parametrize("batch_size", ["1", "5", "47"])  # 48 training rows: a one-row batch
@pytest.mark.parametrize("command", ["sweep", "ensemble"])
def test_populations_train_with_a_one_row_minibatch(tmp_path, capsys, command, batch_size):
    """NU11 #22: ``train --ensemble`` and ``sweep`` ended with NumPy's matmul error when a
    minibatch held one row (30 features, 2 classes); a single run trained."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 30))
    rows = [",".join(f"{v:.6f}" for v in x) + ("," + ("a" if x[0] > 0 else "b")) for x in X]
    header = ",".join(f"f{j}" for j in range(30)) + ",label"
    (tmp_path / "d.csv").write_text("\n".join([header, *rows]) + "\n")
    data = ["--data", str(tmp_path / "d.csv"), "--target", "label", "--epochs", "2",
            "--batch-size", batch_size]  # fmt: skip
    argv = (["sweep", *data, "--seeds", "2", "--out", str(tmp_path / "sw")] if command == "sweep"
            else ["train", *data, "--ensemble", "2", "--progress", "off",
                  "--out", str(tmp_path / "e.npz")])  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err


def test_dask_without_its_extra_names_the_extra(tmp_path, capsys, monkeypatch):
    """NU11 #20l: ``--dask`` without the extra said only "No module named 'distributed'"."""
    monkeypatch.setitem(sys.modules, "distributed", None)  # its import fails
    argv = ["sweep", *MOONS, "--dask", "tcp://127.0.0.1:1", "--out", str(tmp_path / "sw")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "--dask needs its extra: pip install 'glassnet[dask]'" in err
    assert not (tmp_path / "sw").exists()
