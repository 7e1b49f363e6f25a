"""A column with an empty header (pandas' index column from ``df.to_csv(path)``, an Excel
trailing comma, a blank name in the middle) is named as pandas names it, ``Unnamed: i``,
and the advice to leave it out can be copied and run (NU9 #32); so can an advice naming a
column whose name needs quoting in a shell. The oracle: the advice, taken from the message
and split as a shell would (``shlex``), makes the run succeed; the names are pandas' own
(``pd.read_csv``)."""

from __future__ import annotations

import re
import shlex

import numpy as np
import pytest

from glassnet.cli.main import main

pd = pytest.importorskip("pandas")
N = 60


@pytest.fixture
def frame():
    rng = np.random.default_rng(32)
    x = np.round(rng.normal(size=N), 3)
    return pd.DataFrame({"mean radius": x, "size": np.round(rng.uniform(1, 9, N), 1),
                         "diagnosis": np.where(x > 0, "M", "B")})  # fmt: skip


def _trailing_comma(df, path, index):
    lines = [line + "," for line in df.to_csv(index=index).splitlines()]
    path.write_text("\n".join(lines) + "\n")


def _blank_in_the_middle(df, path):
    df = df.copy()
    df.insert(1, "", np.round(np.linspace(0, 1, N) ** 2, 3))  # a numeric column, blank name
    df.to_csv(path, index=False)


WRITERS = {
    "pandas' index": lambda df, p: df.to_csv(p),
    "pandas' index, from 1": lambda df, p: df.set_axis(range(1, N + 1)).to_csv(p),
    "a trailing comma": lambda df, p: _trailing_comma(df, p, index=False),
    "an index and a trailing comma": lambda df, p: _trailing_comma(df, p, index=True),
    "a shuffled index": lambda df, p: df.sample(frac=1, random_state=0).to_csv(p),
}


def _train(capsys, tmp_path, data, *extra):
    code = main(["train", "--data", str(data), "--target", "diagnosis", "--epochs", "2",
                 "--progress", "off", "--out", str(tmp_path / "m" / "m.npz"), *extra])  # fmt: skip
    return code, capsys.readouterr().err


def _advised(err: str) -> list[str]:
    """The option the message advises, split as a shell splits it."""
    found = re.search(r"leave (?:it|them all) out with (--(?:drop|features) (?:'[^']*'|\S+))",
                      err)  # fmt: skip
    assert found, err
    return shlex.split(found.group(1).rstrip(".;"))


@pytest.mark.parametrize("kind", WRITERS)
def test_the_advice_for_an_empty_header_works_when_copied(capsys, tmp_path, frame, kind):
    path = tmp_path / "t.csv"
    WRITERS[kind](frame, path)
    unnamed = [c for c in pd.read_csv(path).columns if c.startswith("Unnamed: ")]  # pandas' names
    assert unnamed
    code, err = _train(capsys, tmp_path, path)
    assert code == 1, err
    for name in unnamed:
        assert f"column {name!r}" in err or f"{name!r} " in err, err
    advice = _advised(err)
    assert advice == ["--drop", ",".join(unnamed)], err
    code, err = _train(capsys, tmp_path, path, *advice)
    assert code == 0, err
    # the model reads its columns from the same file by those names
    assert main(["predict", "--model", str(tmp_path / "m" / "m.npz"), "--data", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "prediction"


@pytest.mark.parametrize("kind", ["pandas' index", "pandas' index, from 1", "a shuffled index"])
def test_an_index_column_is_called_a_row_index(capsys, tmp_path, frame, kind):
    path = tmp_path / "t.csv"
    WRITERS[kind](frame, path)
    _, err = _train(capsys, tmp_path, path)
    assert "column 'Unnamed: 0' looks like an ID" in err, err
    assert "a row index under an empty header, as pandas' df.to_csv(path) writes" in err, err


def test_a_named_blank_column_trains_and_predicts_by_its_pandas_name(capsys, tmp_path, frame):
    path = tmp_path / "t.csv"
    _blank_in_the_middle(frame, path)
    assert list(pd.read_csv(path).columns)[1] == "Unnamed: 1"
    code, err = _train(capsys, tmp_path, path, "--features", "Unnamed: 1,size")
    assert code == 0, err
    assert main(["predict", "--model", str(tmp_path / "m" / "m.npz"), "--data", str(path)]) == 0


@pytest.mark.parametrize("option", ["--drop", "--features"])
def test_an_advice_naming_a_column_with_a_space_is_quoted(capsys, tmp_path, frame, option):
    df = frame.copy()
    df["patient id"] = [f"P{i:04d}" for i in range(N)]  # text, unique per row: an ID
    path = tmp_path / "t.csv"
    df.to_csv(path, index=False)
    given = ["--features", "mean radius,patient id,size"] if option == "--features" else []
    code, err = _train(capsys, tmp_path, path, *given)
    assert code == 1, err
    advice = _advised(err)
    expected = "mean radius,size" if option == "--features" else "patient id"
    assert advice == [option, expected], err
    code, err = _train(capsys, tmp_path, path, *advice)
    assert code == 0, err


def test_an_empty_header_in_parquet_is_named_too(capsys, tmp_path, frame):
    pytest.importorskip("pyarrow")
    df = frame.copy()
    df[""] = np.arange(N)  # an index kept as a column with no name
    path = tmp_path / "t.parquet"
    df.to_parquet(path, index=False)
    code, err = _train(capsys, tmp_path, path)
    assert code == 1 and "column 'Unnamed: 3'" in err, err
    code, err = _train(capsys, tmp_path, path, *_advised(err))
    assert code == 0, err


def test_an_empty_name_in_drop_says_how_such_a_column_is_named(capsys, tmp_path, frame):
    path = tmp_path / "t.csv"
    frame.to_csv(path)
    with pytest.raises(SystemExit) as exit_:
        main(["train", "--data", str(path), "--target", "diagnosis", "--drop", ""])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "none empty" in err and "--drop 'Unnamed: 0'" in err, err
    advice = shlex.split(re.search(r"--drop '[^']*'", err).group(0))
    code, err = _train(capsys, tmp_path, path, *advice)
    assert code == 0, err
