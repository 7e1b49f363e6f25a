"""``glassnet.load(path).predict(df)`` warns about categories training never saw, as the
CLI does (NU9 #29): one :class:`UnseenCategoryWarning` whose message is the CLI's warning
line, counts per column. The oracle: the cells counted by hand (values not among the
column's training categories) and the line ``glassnet predict`` prints for the same rows."""

import warnings

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.data.cell_counts import UnseenCategoryWarning
from glassnet.data.frames import Frame
from glassnet.files.modelfile import load_model

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    rng = np.random.default_rng(29)
    n = 90
    df = pd.DataFrame({
        "x": rng.normal(size=n),
        "clinic": rng.choice(["north", "south", "east"], n),
        "colour": rng.choice(["red", "green"], n),
    })  # fmt: skip
    df["label"] = np.where(df["x"] + (df["clinic"] == "east") > 0.3, "yes", "no")
    folder = tmp_path_factory.mktemp("unseen")
    df.to_csv(folder / "train.csv", index=False)
    out = folder / "m.npz"
    code = main(["train", "--data", str(folder / "train.csv"), "--target", "label",
                 "--epochs", "3", "--progress", "off", "--out", str(out)])  # fmt: skip
    assert code == 0
    return folder, out, df.drop(columns="label")


def _unseen_by_hand(model, frame):
    counts = {}
    for col in model.encoding.columns:
        if col.kind == "numeric":
            continue
        known = {*col.categories, *col.pooled}
        n = int((~frame[col.name].astype(str).isin(known)).sum())
        if n:
            counts[col.name] = n
    return counts


def _predict_warnings(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [w for w in caught if issubclass(w.category, UnseenCategoryWarning)], caught


CHANGES = {
    "one cell of one column": {"clinic": {0: "west"}},
    "four cells of one column": {"clinic": {0: "west", 3: "west", 5: "far", 8: "west"}},
    "two columns": {"clinic": {1: "west", 2: "up"}, "colour": {4: "blue"}},
    "a number in a text column": {"colour": {6: 7}},
}


@pytest.mark.parametrize("name", CHANGES)
@pytest.mark.parametrize("method", ["predict", "predict_proba", "outputs"])
def test_unseen_categories_are_counted_in_one_warning(trained, capsys, name, method):
    folder, out, frame = trained
    model = load_model(out)
    new = frame.iloc[:10].copy().astype({"clinic": object, "colour": object})
    for column, cells in CHANGES[name].items():
        for row, value in cells.items():
            new.loc[row, column] = value
    expected = _unseen_by_hand(model, new)
    assert expected  # the test changed some cells
    _, unseen, everything = _predict_warnings(lambda: getattr(model, method)(new))
    assert len(unseen) == 1 and len(everything) == 1
    total = sum(expected.values())
    parts = ", ".join(f"{c} {n}" for c, n in expected.items())
    assert str(unseen[0].message).startswith(f"{total} cell")
    assert str(unseen[0].message).endswith(f"encoded as all zeros ({parts})")
    assert unseen[0].filename == __file__  # the user's line, not glassnet's
    # the CLI says the same of the same rows
    new.to_csv(folder / "new.csv", index=False)
    capsys.readouterr()
    assert main(["predict", "--model", str(out), "--data", str(folder / "new.csv")]) == 0
    err = capsys.readouterr().err
    assert f"warning: {unseen[0].message}" in err.splitlines()


def test_unseen_cells_encode_as_all_zeros_as_before(trained):
    """The warning changes nothing in the numbers: the prediction is that of the row
    whose category columns are all zero (the encoding's own transform as the oracle)."""
    _, out, frame = trained
    model = load_model(out)
    new = frame.iloc[:5].copy()
    new.loc[2, "clinic"] = "west"
    X = model.encoding.transform(Frame(new, "data")).X
    with pytest.warns(UnseenCategoryWarning):
        predicted = model.predict(new)
    np.testing.assert_array_equal(predicted, model.predict(X))


def test_seen_categories_give_no_warning(trained):
    _, out, frame = trained
    model = load_model(out)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails
        model.predict(frame.iloc[:20])
        model.predict_proba(Frame(frame.iloc[:20], "data"))


FILLS = {
    "a number": {"x": [2]},
    "two numbers and a category": {"x": [0, 7], "colour": [3]},
}


@pytest.mark.parametrize("name", FILLS)
def test_cells_filled_in_columns_without_gaps_in_training_are_counted(trained, capsys, name):
    """With ``impute=True``, cells filled in columns that had no missing cell in training
    are counted in one FilledCellWarning, the CLI's line for the same rows."""
    from glassnet.data.cell_counts import FilledCellWarning

    folder, out, frame = trained
    model = load_model(out)
    assert not frame.isna().any().any()  # training had no missing cell anywhere
    new = frame.iloc[:10].copy().astype({"colour": object})
    for column, rows in FILLS[name].items():
        new.loc[rows, column] = None
    expected = {c: len(r) for c, r in FILLS[name].items()}
    _, _, caught = _predict_warnings(lambda: model.predict(new, impute=True))
    assert len(caught) == 1 and issubclass(caught[0].category, FilledCellWarning)
    parts = ", ".join(f"{c} {n}" for c, n in expected.items())
    assert str(caught[0].message).endswith(f"in columns that had none in training ({parts})")
    assert caught[0].filename == __file__
    new.to_csv(folder / "gaps.csv", index=False)
    capsys.readouterr()
    assert main(["predict", "--model", str(out), "--data", str(folder / "gaps.csv")]) == 0
    assert f"warning: {caught[0].message}" in capsys.readouterr().err.splitlines()
