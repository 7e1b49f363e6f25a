"""Errors of the streamed readers (``evaluate``, ``report``, ``predict`` in blocks) name the same
cell as a whole read does: the oracles are hand-made files whose bad cell's line is known,
and the whole-file reader's own message (``load_table`` and the model's encoding)."""

import numpy as np
import pandas as pd
import pytest

import glassnet.data.blocks as blocks
from glassnet.cli.main import main
from glassnet.data.tables import DataError, load_table
from glassnet.files.modelfile import load_model

N = 600


def _rows(rng, kind):
    X = np.round(rng.normal(size=(N, 3)), 4)
    if kind == "classes":
        return X, np.array(["lo", "mid", "hi"])[np.digitize(X[:, 0], [-0.5, 0.5])]
    if kind == "integers":
        return X, np.digitize(X[:, 0], [-0.5, 0.5])
    return X, np.round(100 + 10 * X[:, 0] - X[:, 2], 3)


def _write(path, X, y, bad=None, blanks=()):
    """A CSV of ``X`` and target ``t``, ``bad = (row, column, text)`` written into a cell,
    blank lines after the data rows in ``blanks``; returns the bad cell's line number."""
    lines, line_of = ["a,b,c,t"], {}
    for i, (row, t) in enumerate(zip(X, y, strict=True)):
        cells = [str(v) for v in row] + [str(t)]
        if bad is not None and bad[0] == i:
            cells["abct".index(bad[1])] = bad[2]
        lines.append(",".join(cells))
        line_of[i] = len(lines)
        if i in blanks:
            lines.append("")
    path.write_text("\n".join(lines) + "\n")
    return line_of[bad[0]] if bad is not None else None


def _parquet(path, X, y, bad):
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(t=y)
    frame = frame.astype({bad[1]: object})
    frame.loc[bad[0], bad[1]] = bad[2]
    frame.astype({bad[1]: str}).to_parquet(path)


def _model(tmp_path, X, y, kind):
    _write(tmp_path / "train.csv", X, y)
    task = ["--task", "regression"] if kind == "values" else []
    assert main(["train", "--data", str(tmp_path / "train.csv"), "--target", "t", "--epochs", "2",
                 "--progress", "off", "--out", str(tmp_path / "m.npz"), *task]) == 0  # fmt: skip
    return load_model(tmp_path / "m.npz")


def _error(capsys, *argv):
    capsys.readouterr()
    code = main(list(argv))
    err = capsys.readouterr().err
    assert code == 1, err
    return err.strip().split(": error: ", 1)[1]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("row", [5, 450])  # the first block, a later block
def test_a_label_unseen_in_training_is_named_by_its_line(tmp_path, rng, capsys, monkeypatch,
                                                         suffix, row):  # fmt: skip
    X, y = _rows(rng, "classes")
    _model(tmp_path, X, y, "classes")
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 2048)
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 64)
    y = y.astype(object)
    y[[1, 3]] = None  # unlabelled rows before the bad one: left out, still counted
    data = tmp_path / f"d{suffix}"
    if suffix == ".csv":
        line = _write(data, X, np.where(y == None, "", y), (row, "t", "odd"), blanks=(0, 2, 4))  # noqa: E711
        where = f"line {line}"
    else:
        _parquet(data, X, y, (row, "t", "odd"))
        where = f"row {row}"
    expected = (f"{data}: {where}, column 't': label 'odd' the model never saw (it knows 'hi', "
                "'lo', 'mid'); 1 row holds such labels: 'odd'")  # fmt: skip
    for command in ("evaluate", "report"):
        got = _error(capsys, command, "--model", str(tmp_path / "m.npz"), "--data", str(data),
                     "--target", "t", *(["--out", str(tmp_path / "r.html")] if command == "report"
                                         else []))  # fmt: skip
        assert got == expected


def test_an_unseen_label_in_an_npz_is_named_by_its_row(tmp_path, rng, capsys, monkeypatch):
    X, y = _rows(rng, "integers")
    _model(tmp_path, X, y, "integers")
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 64)
    y = y.copy()
    y[300] = 7
    np.savez(tmp_path / "d.npz", X=X, y=y)
    got = _error(capsys, "evaluate", "--model", str(tmp_path / "m.npz"), "--data",
                 str(tmp_path / "d.npz"), "--target", "y")  # fmt: skip
    assert got.startswith(f"{tmp_path / 'd.npz'}: data row 301, column 'y': label 7 ")


@pytest.mark.parametrize("kind", ["integers", "values"])
@pytest.mark.parametrize(("suffix", "row", "blanks"),
                         [(".csv", 3, ()), (".csv", 500, ()), (".csv", 500, (10, 200, 499)),
                          (".parquet", 500, ())])  # fmt: skip
@pytest.mark.parametrize("column", ["t", "b"])
def test_a_stray_word_in_a_column_of_numbers_is_the_whole_reads_error(
    tmp_path, rng, capsys, monkeypatch, kind, suffix, row, blanks, column
):
    """Target and feature columns, classifier and regressor: in blocks, the error of the
    whole read, naming the bad cell's line (never silently a category)."""
    X, y = _rows(rng, kind)
    model = _model(tmp_path, X, y, kind)
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 2048)
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 64)
    data = tmp_path / f"d{suffix}"
    words = ("oops", "oops", "n/a?")
    if suffix == ".csv":
        line = _write(data, X, y, (row, column, words[0]), blanks)
        lines = data.read_text().splitlines()  # two more stray words after the first
        for later in (line + 40, line + 80):
            cells = lines[later - 1].split(",")
            cells["abct".index(column)] = words[2]
            lines[later - 1] = ",".join(cells)
        data.write_text("\n".join(lines) + "\n")
        where = f"line {line}"
    else:
        _parquet(data, X, y, (row, column, "oops"))
        where = f"row {row}"
    with pytest.raises(DataError) as whole:  # the oracle: the whole file read at once
        table = load_table(data, "t", ("a", "b", "c"))
        model.encode(table.frame)
    assert where in str(whole.value) and "'oops'" in str(whole.value)
    model_path = str(tmp_path / "m.npz")
    got = _error(capsys, "evaluate", "--model", model_path, "--data", str(data), "--target", "t")
    assert got == str(whole.value)
    if column != "t":  # predict reads the features only
        got = _error(capsys, "predict", "--model", model_path, "--data", str(data),
                     "--out", str(tmp_path / "p.csv"))  # fmt: skip
        assert got == str(whole.value)
