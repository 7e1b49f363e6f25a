"""Exit codes as documented once files are read: an option that cannot apply to the data or
model it is given (a row past the end, ``--proba`` for a regressor, a split that leaves no
training rows, ``--task`` against the targets) is a bad argument, exit 2 with one line; a
bad input file stays exit 1."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.cli.checks import NotApplicable
from glassnet.cli.main import main
from glassnet.cli.workflow import Recipe, train_model
from glassnet.data.tables import DataError


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A CSV with a text label and a large numeric target, and three models trained on it."""
    root = tmp_path_factory.mktemp("codes")
    rng = np.random.default_rng(2)
    X = rng.normal(size=(60, 3))
    label = np.where(X[:, 0] > 0, "yes", "no")
    rows = [f"{a},{b},{c},{t},{a * 1e5 + b}" for (a, b, c), t in zip(X, label, strict=True)]
    (root / "d.csv").write_text("a,b,c,label,price\n" + "\n".join(rows) + "\n")
    base = ["train", "--data", str(root / "d.csv"), "--epochs", "2", "--progress", "off"]
    for name, extra in {
        "cls": ["--target", "label", "--drop", "price"],
        "reg": ["--target", "price", "--drop", "label"],
        "ens": ["--target", "label", "--drop", "price", "--ensemble", "2"],
    }.items():
        assert main([*base, *extra, "--out", str(root / name / "m.npz")]) == 0
    return root


def _code(argv):
    try:
        return main(argv)
    except SystemExit as exc:  # refused by the parser
        return exc.code


CASES = {  # (argv with {d} the folder, words of the one line)
    "proba of a regressor": (["predict", "--model", "{d}/reg/m.npz", "--data", "{d}/d.csv",
                              "--proba"], "--proba needs a classifier"),
    "proba of a regressor, to a file": (["predict", "{d}/reg/m.npz", "--data", "{d}/d.csv",
                                         "--proba", "--out", "{d}/p.csv"], "--proba"),
    "row past the end": (["explain", "--model", "{d}/cls/m.npz", "--data", "{d}/d.csv",
                          "--row", "9999"], "--row 9999 is outside the data's 60 rows"),
    "row just past the end": (["explain", "--model", "{d}/cls/m.npz", "--data", "{d}/d.csv",
                               "--row", "60"], "--row 60"),
    "explain a regressor": (["explain", "--model", "{d}/reg/m.npz", "--data", "{d}/d.csv"],
                            "this model is a regressor"),
    "explain an ensemble": (["explain", "--model", "{d}/ens/m.npz", "--data", "{d}/d.csv"],
                            "is an ensemble of 2"),
    "report a regressor without --target": (["report", "{d}/reg/m.npz", "--data",
                                             "{d}/d.csv", "--out", "{d}/r.html"], "--target"),
    "test set of all but nothing": (["train", "--data", "{d}/d.csv", "--target", "label",
                                     "--test-fraction", "0.99", "--out", "{d}/x/m.npz"],
                                    "--val-fraction: cannot split off"),
    "validation count of every row": (["train", "--data", "{d}/d.csv", "--target", "label",
                                       "--test-fraction", "0", "--val-fraction", "60",
                                       "--out", "{d}/x/m.npz"], "--val-fraction"),
    "test count of every row": (["train", "--data", "{d}/d.csv", "--target", "label",
                                 "--test-fraction", "60", "--out", "{d}/x/m.npz"],
                                "--test-fraction: cannot split off a test set of 60"),
    "classification of fractional targets": (["train", "--data", "{d}/d.csv", "--target",
                                              "price", "--task", "classification", "--out",
                                              "{d}/x/m.npz"], "--task classification"),
    "regression of text labels": (["train", "--data", "{d}/d.csv", "--target", "label",
                                   "--task", "regression", "--out", "{d}/x/m.npz"],
                                  "--task regression: the target holds text"),
    "an ensemble's split": (["train", "--data", "{d}/d.csv", "--target", "label", "--ensemble",
                             "2", "--test-fraction", "0.99", "--out", "{d}/x/m.npz"],
                            "cannot split off"),
    "a sweep's split": (["sweep", "--data", "{d}/d.csv", "--target", "label", "--val-fraction",
                         "60", "--out", "{d}/sw"], "--val-fraction: cannot split off"),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_an_option_that_cannot_apply_to_the_data_or_model_exits_2(folder, capsys, case):
    argv, words = CASES[case]
    assert _code([a.format(d=folder) for a in argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err, err
    assert not (folder / "p.csv").exists() and not (folder / "x" / "m.npz").exists()


BAD_FILES = {
    "missing data file": (["predict", "--model", "{d}/cls/m.npz", "--data", "{d}/none.csv"],
                          "none.csv"),
    "damaged model": (["predict", "--model", "{d}/d.csv", "--data", "{d}/d.csv"], "d.csv"),
    "data with other columns": (["explain", "--model", "{d}/cls/m.npz", "--data", "{d}/o.csv",
                                 "--row", "0"], "o.csv"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_input_file_still_exits_1(folder, capsys, case):
    (folder / "o.csv").write_text("q,r\n1,2\n")
    argv, words = BAD_FILES[case]
    assert _code([a.format(d=folder) for a in argv]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err, err


def test_python_callers_still_get_a_data_error():
    """:class:`NotApplicable` is a ``DataError`` (a ``ValueError``) for the library's callers."""
    X = np.random.default_rng(0).normal(size=(10, 2))
    with pytest.raises(DataError, match="--test-fraction") as caught:
        train_model(X, np.arange(10) % 2, Recipe(test_size=10, epochs=1))
    assert isinstance(caught.value, NotApplicable) and isinstance(caught.value, ValueError)


@pytest.mark.parametrize("rows", ["1", "3", "60"])
def test_explain_of_a_trained_relu_model_passes_its_check(folder, capsys, rows):
    """A trained ReLU network has pre-activations within eps of 0 on some rows; explain
    leaves those elements out (and says so) rather than exiting 1 with a FAILED check."""
    argv = ["explain", "--model", f"{folder}/cls/m.npz", "--data", f"{folder}/d.csv"]
    assert main([*argv, "--rows", rows]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("gradient check passed") and "MISMATCH" not in out


def _no_rows(folder, kind):
    """``d.csv``'s columns with no data rows: a header alone, or a Parquet table of 0 rows."""
    import pandas as pd

    empty = pd.read_csv(folder / "d.csv").iloc[:0]
    path = folder / f"norows.{kind}"
    if kind == "csv":
        empty.to_csv(path, index=False)
    else:
        empty.to_parquet(path)
    return path


NO_ROWS = {  # argv with {d} the folder and {f} the data file of no rows
    "predict to a file": ["predict", "--model", "{d}/cls/m.npz", "--data", "{f}", "--out",
                          "{d}/out/p.csv"],
    "predict to stdout": ["predict", "--model", "{d}/cls/m.npz", "--data", "{f}"],
    "predict proba": ["predict", "--model", "{d}/cls/m.npz", "--data", "{f}", "--proba"],
    "predict a regressor": ["predict", "--model", "{d}/reg/m.npz", "--data", "{f}"],
    "predict an ensemble": ["predict", "--model", "{d}/ens/m.npz", "--data", "{f}", "--out",
                            "{d}/out/p.csv"],
    "report": ["report", "--model", "{d}/cls/m.npz", "--data", "{f}", "--out",
               "{d}/out/r.html"],
    "report with a target": ["report", "--model", "{d}/cls/m.npz", "--data", "{f}", "--target",
                             "label", "--out", "{d}/out/r.html"],
    "evaluate": ["evaluate", "--model", "{d}/cls/m.npz", "--data", "{f}", "--target", "label"],
    "train": ["train", "--data", "{f}", "--target", "label", "--out", "{d}/out/m.npz"],
}  # fmt: skip


@pytest.mark.parametrize("kind", ["csv", "parquet"])
@pytest.mark.parametrize("case", NO_ROWS)
def test_a_file_of_no_data_rows_is_refused_naming_it(folder, capsys, case, kind):
    # as train and evaluate refuse it: exit 1, one line naming the file, nothing written
    # (predict wrote an empty file, not even a header, and exited 0)
    path = _no_rows(folder, kind)
    argv = [a.format(d=folder, f=path) for a in NO_ROWS[case]]
    assert _code(argv) == 1
    out, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1 and f"{path}: has no data rows" in err, err
    assert out == "" and not list((folder / "out").glob("*"))  # the folder may be made


def test_predict_of_no_rows_keeps_the_earlier_predictions(folder, capsys):
    out = folder / "kept.csv"
    argv = ["predict", "--model", f"{folder}/cls/m.npz", "--out", str(out), "--data"]
    assert main([*argv, str(folder / "d.csv")]) == 0
    before = out.read_bytes()
    assert before.count(b"\n") == 61  # the oracle: a header and one row per data row
    assert _code([*argv, str(_no_rows(folder, "csv"))]) == 1
    assert out.read_bytes() == before
