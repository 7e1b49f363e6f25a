"""``glassnet evaluate`` in row blocks: every score summed block by block equals the score of
the whole input computed at once (the oracle: :class:`RegressionScores.of`, the confusion
matrix of all rows, :func:`glassnet.data.batching.evaluate` over all rows)."""

import numpy as np
import pytest

from glassnet.cli.evaluate_command import ClassSums, RegressionSums
from glassnet.cli.main import main
from glassnet.cli.model_data import score
from glassnet.core.network import Network
from glassnet.data.batching import evaluate
from glassnet.data.preprocessing import Standardizer
from glassnet.files.modelfile import Model, load_model
from glassnet.views.metrics import ClassScores, RegressionScores, confusion_matrix

CUTS = [0, 1, 7, 300, 301, 999, 1000]  # uneven blocks, one of a single row


def _regressor(rng, d, k, offset=0.0, scale=1.0):
    net = Network.mlp([d, 8, k], "tanh", "identity", "mean")
    mean, spread = np.full(k, offset), np.full(k, scale)
    return Model(net, net.init(rng), None, Standardizer(np.zeros(d), np.ones(d)),
                 target_scaler=Standardizer(mean, spread))


@pytest.mark.parametrize(
    ("k", "offset", "scale"),
    [(1, 0.0, 1.0), (3, 0.0, 1.0), (1, 1e9, 10.0), (2, -5e6, 1e-3), (1, 1e12, 1e4)],
)
def test_regression_sums_equal_the_whole_computation(rng, k, offset, scale):
    X = rng.normal(size=(1000, 4))
    model = _regressor(rng, 4, k, offset, scale)
    noise = rng.normal(size=(1000, k)) * scale
    y = np.asarray(model.predict(X)).reshape(1000, k) + noise
    y = y[:, 0] if k == 1 else y
    sums = RegressionSums(model, "t")
    for a, b in zip(CUTS, CUTS[1:], strict=False):
        sums.add(X[a:b], y[a:b])
    # the same predictions, scored at once (BLAS may round a row's last bit differently in
    # another block shape, and at 1e9 one bit of the output is 1e-7 of the targets' units)
    P = np.concatenate([model.predict(X[a:b]) for a, b in zip(CUTS, CUTS[1:], strict=False)])
    # ... less a constant: the same errors and deviations exactly (Sterbenz), without the
    # whole mean's rounding at 1e9 (which alone moves a plain R^2 by about 1e-10)
    c = y.reshape(1000, k)[0]
    whole = RegressionScores.of(P.reshape(1000, k) - c, y.reshape(1000, k) - c)
    got = sums.scores()  # from its sums (in units of a power of two per column)
    for name in ("rmse", "mae", "r2"):
        np.testing.assert_allclose(getattr(got, name), getattr(whole, name), rtol=1e-12,
                                   atol=1e-12)  # fmt: skip
    half_squared = 0.5 * np.mean((P.reshape(1000, k) - y.reshape(1000, k)) ** 2)  # all k too
    assert sums.loss / sums.n == pytest.approx(half_squared, rel=1e-12)
    if offset == 0:  # the whole input predicted in other blocks: the same to rounding
        direct = RegressionScores.of(model.predict(X), y)
        np.testing.assert_allclose(got.r2, direct.r2, rtol=1e-12)
        assert sums.loss / sums.n == pytest.approx(score(model, X, y).loss, rel=1e-12)


def test_constant_targets_score_as_the_whole_computation(rng):
    X = rng.normal(size=(1000, 3))
    model = _regressor(rng, 3, 1)
    y = np.full(1000, 2.5)
    sums = RegressionSums(model, "t")
    for a, b in zip(CUTS, CUTS[1:], strict=False):
        sums.add(X[a:b], y[a:b])
    assert np.all(sums.m2 == 0)  # exactly: every block's mean is the same number
    got = sums.scores()  # from its sums (in units of a power of two per column)
    assert got.r2[0] == RegressionScores.of(model.predict(X), y).r2[0] == 0.0


@pytest.mark.parametrize(("n_classes", "head"), [(2, "logistic"), (3, "softmax"), (4, "softmax")])
def test_class_sums_equal_the_whole_computation(rng, n_classes, head):
    X = rng.normal(size=(1000, 5))
    out = 1 if head == "logistic" else n_classes
    net = Network.mlp([5, 6, out], "relu", head, "mean")
    classes = np.array([f"c{i}" for i in range(n_classes)])
    model = Model(net, net.init(rng), classes, Standardizer(np.zeros(5), np.ones(5)))
    labels = classes[rng.integers(0, n_classes, 1000)]
    sums = ClassSums(model)
    for a, b in zip(CUTS, CUTS[1:], strict=False):
        sums.add(X[a:b], labels[a:b])
    codes = np.searchsorted(classes, labels)
    predicted = np.searchsorted(classes, model.predict(X))
    np.testing.assert_array_equal(sums.confusion, confusion_matrix(codes, predicted, n_classes))
    whole = evaluate(net, model.params, X, codes, scaler=model.scaler)
    assert sums.right / sums.n == whole.accuracy
    assert sums.loss / sums.n == pytest.approx(whole.loss, rel=1e-12)
    assert ClassScores.from_confusion(sums.confusion).accuracy == whole.accuracy


def _table(rng, n, kind):
    X = rng.normal(size=(n, 3))
    bins = np.digitize(X[:, 0] + X[:, 1], [-0.5, 0.5])
    if kind == "classes":
        return X, np.array(["lo", "mid", "hi"])[bins]
    if kind == "integers":
        return X, np.array([3, 7, 11])[bins]
    if kind == "booleans":
        return X, np.array(["true", "false", "TRUE"])[bins]
    return X, 1e6 + 1e3 * (X[:, 0] - 2 * X[:, 2]) + rng.normal(size=n)


def _write(path, X, y, blank_every=0):
    lines = ["a,b,c,t"]
    for i, (row, t) in enumerate(zip(X, y, strict=True)):
        target = "" if blank_every and i % blank_every == 3 else str(t)
        lines.append(",".join(f"{v:.6f}" for v in row) + "," + target)
        if i % 97 == 5:
            lines.append("")  # blank lines do not shift the blocks against the targets
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("kind", "blank_every"),
    [("classes", 0), ("classes", 11), ("values", 0), ("values", 11), ("integers", 7),
     ("booleans", 5)],
)
def test_cli_evaluate_in_many_blocks_prints_what_one_block_does(
    tmp_path, capsys, monkeypatch, rng, kind, blank_every
):
    import glassnet.data.blocks as blocks

    X, y = _table(rng, 2500, kind)
    _write(tmp_path / "d.csv", X, y, blank_every)
    task = ["--task", "regression"] if kind == "values" else []
    assert main(["train", "--data", str(tmp_path / "d.csv"), "--target", "t", "--epochs", "3",
                 "--out", str(tmp_path / "m.npz"), *task]) == 0  # fmt: skip
    argv = ["evaluate", "--model", str(tmp_path / "m.npz"), "--data", str(tmp_path / "d.csv"),
            "--target", "t"]  # fmt: skip
    capsys.readouterr()
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 1 << 30)  # the whole file in one block
    assert main(argv) == 0
    whole = capsys.readouterr().out
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4096)  # about 60 blocks
    assert main(argv) == 0
    assert capsys.readouterr().out == whole
    if blank_every:
        left = sum(1 for i in range(2500) if i % blank_every == 3)
        assert f"left out {left} rows" in whole


@pytest.mark.parametrize("suffix", [".npy", ".npz"])
def test_cli_evaluate_arrays_in_blocks(tmp_path, capsys, monkeypatch, rng, suffix):
    import glassnet.data.blocks as blocks

    X, y = _table(rng, 3000, "values")
    np.savez(tmp_path / "train.npz", X=X, y=y)
    data = tmp_path / f"d{suffix}"
    if suffix == ".npy":
        np.save(data, np.column_stack([X, y]))
    else:
        np.savez(data, X=X, y=y)
    assert main(["train", "--data", str(tmp_path / "train.npz"), "--epochs", "3", "--task",
                 "regression", "--out", str(tmp_path / "m.npz")]) == 0  # fmt: skip
    argv = ["evaluate", "--model", str(tmp_path / "m.npz"), "--data", str(data),
            "--target", "3" if suffix == ".npy" else "y"]  # fmt: skip
    capsys.readouterr()
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 10**7)
    assert main(argv) == 0
    whole = capsys.readouterr().out
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 333)
    assert main(argv) == 0
    assert capsys.readouterr().out == whole
    model = load_model(tmp_path / "m.npz")
    r2 = RegressionScores.of(model.predict(X), y).r2[0]
    assert f"R^2 {r2:.4f}" in whole and "samples 3000" in whole


def _count_forward_rows(monkeypatch):
    """Rows through :meth:`Network._forward` (every prediction and every loss passes there)."""
    rows = []
    forward = Network._forward

    def counted(self, params, X):
        rows.append(len(X))
        return forward(self, params, X)

    monkeypatch.setattr(Network, "_forward", counted)
    return rows


@pytest.mark.parametrize(("head", "k"), [("identity", 1), ("identity", 3), ("identity_unscaled", 2),
                                         ("logistic", 2), ("softmax", 3)])  # fmt: skip
def test_each_block_runs_the_network_once(rng, monkeypatch, head, k):
    X = rng.normal(size=(1000, 4))
    if head.startswith("identity"):
        model = _regressor(rng, 4, k)
        if head == "identity_unscaled":
            model = Model(model.net, model.params, None, model.scaler)
        y, sums = rng.normal(size=(1000, k)), RegressionSums(model, "t")
    else:
        net = Network.mlp([4, 6, 1 if head == "logistic" else k], "relu", head, "mean")
        classes = np.array([f"c{i}" for i in range(k)])
        model = Model(net, net.init(rng), classes, Standardizer(np.zeros(4), np.ones(4)))
        y, sums = classes[rng.integers(0, k, 1000)], ClassSums(model)
    predict_calls = []
    monkeypatch.setattr(Model, "predict", lambda self, X, predict=Model.predict, **kw: (
        predict_calls.append(len(X)), predict(self, X, **kw))[1])  # fmt: skip
    rows = _count_forward_rows(monkeypatch)
    for a, b in zip(CUTS, CUTS[1:], strict=False):
        sums.add(X[a:b], y[a:b])
    assert sum(rows) == 1000  # each row through the network once
    assert sum(predict_calls) <= 1000
