"""``glassnet report MODEL --data FILE`` reads the file a block at a time: its scores, summed
over blocks, equal the scores of the whole file read at once (the oracle: the saved model's
predictions on the file read whole by pandas); its figures show a bounded sample of rows,
the same rows whatever the block size; no block passed to the model is larger than a
block of the file."""

import numpy as np
import pandas as pd
import pytest

import glassnet.data.blocks as blocks
from glassnet.cli.main import main
from glassnet.cli.report_rows import SAMPLE_ROWS, RowSample, scored_rows
from glassnet.files.modelfile import Model, load_model
from glassnet.views.metrics import RegressionScores

N = 2600


def _data(tmp_path, rng, kind, suffix=".csv", blank_every=0):
    X = rng.normal(size=(N, 3))
    if kind == "classes":
        y = np.array(["lo", "mid", "hi"])[np.digitize(X[:, 0] + X[:, 1], [-0.5, 0.5])]
    else:
        y = 5e5 + 1e3 * (X[:, 0] - 2 * X[:, 2]) + rng.normal(size=N)
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(t=y)
    path = tmp_path / f"d{suffix}"
    if suffix == ".parquet":
        frame.to_parquet(path)
    else:
        lines = ["a,b,c,t"]
        for i, row in enumerate(frame.itertuples(index=False)):
            cells = [repr(v) for v in row[:3]]
            target = "" if blank_every and i % blank_every == 2 else str(row[3])
            lines.append(",".join([*cells, target]))
            if i % 89 == 4:
                lines.append("")  # blank lines shift lines against rows
        path.write_text("\n".join(lines) + "\n")
    task = ["--task", "regression"] if kind == "values" else []
    assert main(["train", "--data", str(path), "--target", "t", "--epochs", "2", "--progress",
                 "off", "--out", str(tmp_path / "m.npz"), *task]) == 0  # fmt: skip
    whole = pd.read_parquet(path) if suffix == ".parquet" else pd.read_csv(path)
    return path, load_model(tmp_path / "m.npz"), whole.dropna(subset=["t"])


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_streamed_regression_scores_equal_the_whole_file(tmp_path, rng, monkeypatch, suffix):
    path, model, whole = _data(tmp_path, rng, "values", suffix)
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 8192)
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 300)
    rows = scored_rows(model, str(path), "t")
    oracle = RegressionScores.of(model.predict(whole[["a", "b", "c"]]), whole["t"].to_numpy())
    got = rows.sums.scores()
    assert rows.sums.n == N
    for name in ("rmse", "mae", "r2"):
        np.testing.assert_allclose(getattr(got, name), getattr(oracle, name), rtol=1e-9)
    assert len(rows.X) == SAMPLE_ROWS < N  # the figures: a sample
    # the sample's targets, as trained on, are the file's rows (standardized)
    trained = model.target_scaler.transform(whole[["t"]].to_numpy(), np.float64)[:, 0]
    assert np.all(np.isin(np.round(rows.codes, 9), np.round(trained, 9)))


@pytest.mark.parametrize(("suffix", "blank_every"), [(".csv", 0), (".csv", 7), (".parquet", 0)])
def test_streamed_class_scores_equal_the_whole_file(
    tmp_path, rng, monkeypatch, suffix, blank_every
):
    path, model, whole = _data(tmp_path, rng, "classes", suffix, blank_every)
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 8192)
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 300)
    rows = scored_rows(model, str(path), "t")
    predicted = model.predict(whole[["a", "b", "c"]])
    assert rows.sums.n == len(whole) == N - (len(range(2, N, blank_every)) if blank_every else 0)
    assert rows.sums.right / rows.sums.n == np.mean(predicted == whole["t"].to_numpy())
    assert rows.n_unlabelled == N - len(whole)


@pytest.mark.parametrize("kind", ["classes", "values"])
def test_the_sample_is_the_same_whatever_the_block_size(tmp_path, rng, monkeypatch, kind):
    path, model, _ = _data(tmp_path, rng, kind)
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 1 << 30)  # one block
    one = scored_rows(model, str(path), "t")
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4096)  # about 50 blocks
    many = scored_rows(model, str(path), "t")
    np.testing.assert_array_equal(one.X, many.X)
    np.testing.assert_array_equal(one.codes, many.codes)
    assert one.notes == many.notes


def test_the_model_never_sees_more_than_a_block(tmp_path, rng, monkeypatch):
    path, model, _ = _data(tmp_path, rng, "classes")
    seen = []
    inputs = Model.inputs  # every forward pass of a model prepares its rows here

    def recording(self, X):
        seen.append(len(X))
        return inputs(self, X)

    monkeypatch.setattr(Model, "inputs", recording)
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4096)
    rows = scored_rows(model, str(path), "t")
    assert rows.sums.n == N and len(seen) > 20
    assert max(seen) < N / 10  # about 60 rows of 70 bytes: never the whole file


def test_row_sample_keeps_the_rows_of_the_smallest_keys(rng):
    """Bottom-k sampling: the oracle draws all N keys at once and sorts them."""
    X = np.arange(5000.0)[:, None]
    sample = RowSample(100, seed=3)
    for a, b in zip([0, 1, 700, 701, 4000], [1, 700, 701, 4000, 5000], strict=True):
        sample.add(X[a:b], X[a:b, 0].astype(int))
    rows, kept, t = sample.taken()
    oracle = np.sort(np.argsort(np.random.default_rng(3).random(5000))[:100])
    np.testing.assert_array_equal(rows, oracle)
    np.testing.assert_array_equal(kept[:, 0], oracle)
    np.testing.assert_array_equal(t, oracle)


def test_cli_report_says_the_figures_use_a_sample(tmp_path, rng, capsys):
    path, _, whole = _data(tmp_path, rng, "values")
    out = tmp_path / "r.html"
    assert main(["report", str(tmp_path / "m.npz"), "--data", str(path), "--target", "t",
                 "--out", str(out)]) == 0  # fmt: skip
    html = out.read_text()
    assert f"a sample of {SAMPLE_ROWS} of the {N} rows" in html
    assert f"<td>{N}</td>" in html or f">{N}<" in html  # the scores' samples: every row


def test_cli_report_without_labels_counts_every_row(tmp_path, rng):
    path, model, whole = _data(tmp_path, rng, "classes")
    rows = scored_rows(model, str(path), None)
    counts = pd.Series(model.predict(whole[["a", "b", "c"]])).value_counts()
    assert {str(c): int(k) for c, k in zip(model.classes, rows.sums.counts, strict=True)} == {
        str(c): int(counts.get(c, 0)) for c in model.classes
    }
