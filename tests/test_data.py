import numpy as np
import pytest

from glassnet.data.tables import DataError, encode_labels, load_table, split_indices


def _csv(tmp_path, text, name="d.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_csv_with_named_target(tmp_path):
    path = _csv(tmp_path, "a, b ,species\n1,2.5,cat\n3,-4,dog\n\n")
    table = load_table(path, "species")
    np.testing.assert_array_equal(table.X, [[1, 2.5], [3, -4]])
    assert list(table.y) == ["cat", "dog"]
    assert table.feature_names == ("a", "b")
    numeric = load_table(_csv(tmp_path, "x,y\n1,0\n2,1\n", "n.csv"), "y")
    assert numeric.y.dtype == np.int64 and list(numeric.y) == [0, 1]  # labels as written
    real = load_table(_csv(tmp_path, "x,y\n1,0.5\n2,1.0\n", "r.csv"), "y")
    assert real.y.dtype == np.float64
    chosen = load_table(path, None, ("b",))
    np.testing.assert_array_equal(chosen.X, [[2.5], [-4]])


@pytest.mark.parametrize(
    ("text", "target", "message"),
    [
        ("a,b\n1,x\n", "a", r"column 'b' is not numeric \(line 2: 'x'\)"),
        ("a,b\n1,nan\n", "a", "column 'b' has a missing or non-finite value at line 2"),
        ("a,b\n1,\n", "a", "column 'b' is not numeric"),
        ("a,b\n1,inf\n", "a", "non-finite"),
        ("a,b\n1,2,3\n", "a", "line 2 has 3 fields, the header has 2"),
        ("a,b\n1,2\n", "c", "no target column 'c'; columns are a, b"),
        ("", "a", "empty file"),
        ("a,b\n1,\n2,1\n", "b", "target column 'b' has a missing value at line 2"),
        ("a,b\n1,NA\n", "b", "missing value"),
        ("a,a,b\n1,2,3\n", "b", "duplicate column names: a"),
        ("a,b\n", "a", r"has no data \(shape \(0, 1\)\)"),
    ],
)
def test_csv_errors_name_the_problem(tmp_path, text, target, message):
    with pytest.raises(DataError, match=message):
        load_table(_csv(tmp_path, text), target)


def test_missing_and_unsupported_files(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        load_table(tmp_path / "nope.csv", "a")
    (tmp_path / "d.txt").write_text("1")
    with pytest.raises(DataError, match="unsupported file type '.txt'"):
        load_table(tmp_path / "d.txt")
    with pytest.raises(DataError, match="missing feature columns: z"):
        load_table(_csv(tmp_path, "a,b\n1,2\n"), None, ("a", "z"))


def test_npz_and_npy(tmp_path, rng):
    X = rng.normal(size=(5, 3))
    y = np.arange(5)
    np.savez(tmp_path / "d.npz", X=X, y=y, labels=y * 2)
    t = load_table(tmp_path / "d.npz")
    np.testing.assert_array_equal(t.X, X)
    np.testing.assert_array_equal(t.y, y)
    np.testing.assert_array_equal(load_table(tmp_path / "d.npz", "labels").y, y * 2)
    with pytest.raises(DataError, match="no target array 'z'"):
        load_table(tmp_path / "d.npz", "z")
    A = np.column_stack([X, y])
    np.save(tmp_path / "d.npy", A)
    t = load_table(tmp_path / "d.npy", "3")
    assert isinstance(t.X, np.ndarray)
    np.testing.assert_array_equal(t.X, X)
    np.testing.assert_array_equal(t.y, y)
    with pytest.raises(DataError, match="target is a column index"):
        load_table(tmp_path / "d.npy", "label")
    X[2, 1] = np.nan
    np.savez(tmp_path / "bad.npz", X=X)
    with pytest.raises(DataError, match=r"non-finite value NaN at row 2, column 1"):
        load_table(tmp_path / "bad.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(DataError, match="not a readable .npz file"):
        load_table(tmp_path / "junk.npz")


def test_encode_labels():
    classes, codes = encode_labels(np.array(["b", "a", "b", "c"]))
    assert list(classes) == ["a", "b", "c"]
    np.testing.assert_array_equal(codes, [1, 0, 1, 2])


def test_stratified_split_keeps_class_shares(rng):
    y = np.repeat([0, 1, 2], [50, 30, 20])
    rest, held = split_indices(100, 0.2, rng, stratify=y)
    assert len(held) == 20 and len(rest) == 80
    assert np.bincount(y[held]).tolist() == [10, 6, 4]
    assert sorted(np.concatenate([rest, held]).tolist()) == list(range(100))
    rest, held = split_indices(100, 7, rng)
    assert len(held) == 7
    with pytest.raises(ValueError, match="a split size must be"):
        split_indices(10, 1.5, rng)


def test_an_optional_target_may_be_absent(tmp_path):
    path = _csv(tmp_path, "a,b\n1,2\n")
    table = load_table(path, "label", require_target=False)
    assert table.y is None and table.feature_names == ("a", "b")
    with_label = load_table(
        _csv(tmp_path, "a,label\n1,x\n", "l.csv"), "label", require_target=False
    )
    assert list(with_label.y) == ["x"] and with_label.feature_names == ("a",)


def test_splits_must_leave_training_rows(rng):
    with pytest.raises(ValueError, match="a split size must be"):
        split_indices(5, 0.99, rng)  # rounds to all 5
