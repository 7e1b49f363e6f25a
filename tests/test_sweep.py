"""``glassnet sweep``: each member equals its own fit; the table, model and report agree."""

import csv
import dataclasses
import os
import threading
import time

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.cli.sweep import Grid, run_sweep
from glassnet.cli.workflow import Recipe
from glassnet.core.network import Network
from glassnet.core.optimizers import Momentum
from glassnet.data.batching import evaluate
from glassnet.data.datasets import make_moons
from glassnet.files.modelfile import load_model
from glassnet.train.loop import TrainConfig, fit

RECIPE = Recipe(activation="tanh", optimizer="momentum", epochs=6, batch_size=16, seed=2,
                patience=None)  # fmt: skip
GRID = Grid(learning_rate=(0.01, 0.1), weight_decay=(0.0, 1e-3), momentum=(0.5, 0.9), seeds=2,
            hidden=((5,), (4, 3)))  # fmt: skip


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(np.random.default_rng(0), 120, noise=0.2)
    return X, y


@pytest.fixture(scope="module")
def local(moons):
    return run_sweep(*moons, RECIPE, GRID)


def _own_fit(X, y, row, outcome):
    """The member's own run: same split, scaling, start (its seed) and settings."""
    model = outcome.best
    net = Network.mlp([2, *row["arch"], 2], "tanh", "softmax", "mean")
    rng = np.random.default_rng(2)
    from glassnet.cli.workflow import _split

    rows = _split(len(X), RECIPE, rng, y)
    cfg = TrainConfig(
        epochs=6,
        batch_size=16,
        seed=row["init_seed"],
        weight_decay=row["weight_decay"],
        optimizer=Momentum(row["learning_rate"], row["momentum"]),
        train_metrics=False,
    )
    start = net.init(np.random.default_rng(row["init_seed"]))
    result = fit(net, start, X, y, cfg, train_rows=rows["train"], val_rows=rows["validation"],
                 scaler=model.scaler)  # fmt: skip
    score = evaluate(net, result.params, X, y, rows["validation"], model.scaler)
    return result, score


def test_every_row_is_its_members_own_fit(moons, local):
    X, y = moons
    assert len(local.rows) == 2 * 2 * 2 * 2 * 2
    assert [r["rank"] for r in local.rows] == list(range(1, 33))
    losses = [r["val_loss"] for r in local.rows]
    assert losses == sorted(losses)
    for row in (local.rows[0], local.rows[13], local.rows[-1]):
        result, score = _own_fit(X, y, row, local)
        assert row["val_loss"] == pytest.approx(score.loss, rel=1e-9)
        assert row["val_accuracy"] == pytest.approx(score.accuracy)
        assert row["kept_epoch"] == result.history.best_epoch
    best, _ = _own_fit(X, y, local.rows[0], local)
    for got, want in zip(local.best.params, best.params, strict=True):
        np.testing.assert_allclose(got["W"], want["W"], rtol=0, atol=1e-10)


def test_architectures_train_apart_and_settings_vary(local):
    assert set(local.curves) == {(5,), (4, 3)}
    combos = {(r["hidden"], r["learning_rate"], r["weight_decay"], r["momentum"], r["init_seed"])
              for r in local.rows}  # fmt: skip
    assert len(combos) == 32 and len({r["val_loss"] for r in local.rows}) == 32


def test_sweep_command_writes_table_model_and_report(tmp_path, capsys):
    out = tmp_path / "sw"
    code = main(
        [
            "sweep",
            "--dataset",
            "moons",
            "--lr",
            "1e-3,3e-2",
            "--weight-decay",
            "0,1e-4",
            "--seeds",
            "2",
            "--hidden",
            "6/3,3",
            "--epochs",
            "3",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "16 networks" in printed and "rank" in printed
    with open(out / "results.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 16 and [int(r["rank"]) for r in rows] == list(range(1, 17))
    assert [float(r["val_loss"]) for r in rows] == sorted(float(r["val_loss"]) for r in rows)
    model = load_model(out / "best.npz")
    assert model.settings["learning_rate"] == float(rows[0]["learning_rate"])
    html = (out / "report.html").read_text()
    assert 'id="curves-6"' in html and 'id="curves-3-3"' in html


def test_sweep_needs_a_validation_set(moons):
    with pytest.raises(ValueError, match="validation"):
        run_sweep(*moons, dataclasses.replace(RECIPE, val_size=0), GRID)


def _processing_runs(dask_scheduler):
    """How many times each share's task was sent to a worker (its transitions to processing)."""
    runs = {}
    for t in dask_scheduler.transition_log:
        if t.finish == "processing" and str(t.key).startswith("train_share-"):
            runs[str(t.key)] = runs.get(str(t.key), 0) + 1
    return runs


def _waiting(dask_scheduler):
    """Tasks the scheduler has not yet given to any worker."""
    return len(dask_scheduler.queued) + len(dask_scheduler.unrunnable)


def test_dask_sweep_equals_local_and_a_lost_worker_costs_only_its_share(moons, local):
    """A worker killed while it trains: only the shares it held (training, or finished but
    not yet fetched) run again, counted from the scheduler's record of every task sent to a
    worker; shares already fetched are released and never rerun; the results equal the
    local run."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                 host="127.0.0.1", dashboard_address=":0") as cluster,
        distributed.Client(cluster, timeout="60s") as client,
    ):  # fmt: skip
        pids = client.run(os.getpid)
        victim, lost = sorted(pids)[0], []

        def kill_when_busy():
            for _ in range(1000):
                busy = client.processing().get(victim)
                # it trains a share and every share is on a worker (none waits to be
                # assigned); the results it holds but were not yet fetched are lost too
                if busy and client.run_on_scheduler(_waiting) == 0:
                    held = {*client.processing().get(victim, ()), *client.has_what()[victim]}
                    os.kill(pids[victim], 9)
                    lost.extend(str(key) for key in held if str(key).startswith("train_share-"))
                    return
                time.sleep(0.01)

        killer = threading.Thread(target=kill_when_busy)
        killer.start()
        spread = run_sweep(*moons, RECIPE, GRID, client=client, shares=4)
        killer.join()
        runs = client.run_on_scheduler(_processing_runs)
    assert lost, "no worker was killed while busy: the test did not test a loss"
    assert spread.rows == local.rows
    shares = len(GRID.hidden) * 4  # every architecture's population cut into 4 shares
    assert len(runs) == shares and max(runs.values()) == 2  # the loss cost reruns, once each
    # the reruns are about the shares the victim held when it died, never the whole sweep.
    # (Which shares exactly races the kill: a held share may be fetched just before it, and
    # the scheduler may hand the victim one more share between the look and the kill.)
    reruns = sum(runs.values()) - shares
    assert reruns <= len(lost) + 1 and reruns <= shares // 2


def test_sweep_reads_a_table_with_text_columns(tmp_path, capsys):
    rng = np.random.default_rng(0)
    n = 90
    color = rng.choice(["red", "green"], n)
    x = rng.normal(size=n)
    label = np.where((x > 0) ^ (color == "red"), "yes", "no")
    lines = ["id,x,color,label"] + [
        f"{i},{a},{c},{t}" for i, (a, c, t) in enumerate(zip(x, color, label, strict=True))
    ]
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n")
    out = tmp_path / "sw"
    argv = ["sweep", "--data", str(tmp_path / "t.csv"), "--target", "label", "--drop", "id",
            "--lr", "1e-2,3e-2", "--epochs", "2", "--hidden", "4", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    model = load_model(out / "best.npz")
    assert model.encoding is not None and set(model.classes) == {"no", "yes"}


def test_a_regression_sweep_ranks_by_validation_loss_in_the_targets_units():
    """Targets standardized with one scale: a sweep on ``a * y + b`` is the sweep on ``y``,
    and its validation losses (half squared error) are ``a**2`` times as large; the best
    model's own validation error, in the targets' units, is the top row's."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(120, 2))
    y = X[:, 0] - X[:, 1] ** 2 + 0.1 * rng.normal(size=120)
    recipe = dataclasses.replace(RECIPE, task="regression", optimizer="adam")
    grid = Grid(learning_rate=(0.01, 0.03), seeds=2, hidden=((5,),))
    small, large = (run_sweep(X, a * y + b, recipe, grid) for a, b in ((1.0, 0.0), (1e4, 5e8)))
    ratio = [r2["val_loss"] / r1["val_loss"] for r1, r2 in zip(small.rows, large.rows, strict=True)]
    np.testing.assert_allclose(ratio, 1e8, rtol=1e-5)
    from glassnet.cli.workflow import _split

    val = _split(len(X), recipe, np.random.default_rng(recipe.seed), None)["validation"]
    Y = 1e4 * y + 5e8
    half_se = 0.5 * np.mean((np.ravel(large.best.predict(X[val])) - Y[val]) ** 2)
    np.testing.assert_allclose(large.rows[0]["val_loss"], half_se, rtol=1e-6)
