"""A column named on the command line that the data file lacks (``--target``, ``--features``,
``--drop``) is a bad argument: exit code 2, one line naming the closest columns and listing
those the file has (the oracle: hand-made files whose columns are known)."""

import numpy as np
import pandas as pd
import pytest

from glassnet.cli.main import main
from glassnet.core.validation import DataError
from glassnet.data.tables import load_table


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("columns")
    X = np.random.default_rng(5).normal(size=(60, 2))
    y = (X[:, 0] > 0).astype(int)
    frame = pd.DataFrame({"height": X[:, 0], "weight": X[:, 1], "label": y})
    frame.to_csv(tmp_path / "d.csv", index=False)
    frame.to_parquet(tmp_path / "d.parquet")
    np.savez(tmp_path / "d.npz", X=X, label=y)
    np.save(tmp_path / "d.npy", np.column_stack([X, y]))
    assert main(["train", "--data", str(tmp_path / "d.csv"), "--target", "label", "--epochs",
                 "1", "--progress", "off", "--out", str(tmp_path / "m.npz")]) == 0  # fmt: skip
    assert main(["train", "--data", str(tmp_path / "d.npz"), "--target", "label", "--epochs",
                 "1", "--progress", "off", "--out", str(tmp_path / "a.npz")]) == 0  # fmt: skip
    return tmp_path


def _line(capsys, argv):
    capsys.readouterr()
    code = main(argv)
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return code, err


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".npz"])
@pytest.mark.parametrize("command", ["train", "evaluate", "report", "explain"])
def test_a_target_the_file_lacks_is_a_bad_argument(files, capsys, suffix, command):
    data = str(files / f"d{suffix}")
    model = str(files / ("a.npz" if suffix == ".npz" else "m.npz"))
    argv = {"train": ["train", "--data", data, "--out", str(files / "new.npz")],
            "evaluate": ["evaluate", "--model", model, "--data", data],
            "report": ["report", model, "--data", data, "--out", str(files / "r.html")],
            "explain": ["explain", "--model", model, "--data", data]}[command]  # fmt: skip
    code, err = _line(capsys, [*argv, "--target", "labell"])
    assert code == 2, err
    assert "'labell'" in err and "did you mean 'label'?" in err
    assert ("arrays are X, label" if suffix == ".npz" else "height, weight, label") in err


@pytest.mark.parametrize("command", ["evaluate", "train"])
@pytest.mark.parametrize("target", ["7", "-4", "y"])
def test_an_npy_target_outside_its_columns_is_a_bad_argument(files, capsys, command, target):
    data = str(files / "d.npy")
    argv = (["evaluate", "--model", str(files / "a.npz")] if command == "evaluate"
            else ["train", "--out", str(files / "new.npz")])  # fmt: skip
    code, err = _line(capsys, [*argv, "--data", data, "--target", target])
    assert code == 2, err
    assert ("column index" if target == "y" else "0 to 2") in err


@pytest.mark.parametrize("option", ["--features", "--drop"])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_features_or_drop_naming_a_missing_column_is_a_bad_argument(files, capsys, option, suffix):
    argv = ["train", "--data", str(files / f"d{suffix}"), "--target", "label",
            option, "height,wieght", "--out", str(files / "new.npz")]  # fmt: skip
    code, err = _line(capsys, argv)
    assert code == 2, err
    assert "no column 'wieght'; did you mean 'weight'" in err
    assert err.endswith("columns are height, weight, label\n")


def test_the_library_still_raises_a_data_error(files):
    with pytest.raises(DataError, match="no target column 'labl'; did you mean 'label'"):
        load_table(files / "d.csv", "labl")
    with pytest.raises(DataError, match=r"no column 'x'; columns are height, weight, label$"):
        load_table(files / "d.csv", "label", ("x",))
