import numpy as np
import pytest

from glassnet.data.encoding import strict_encoding
from glassnet.data.tables import DataError, encode_labels, load_table, split_indices


def _csv(tmp_path, text, name="d.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _X(table):
    """The table's features, read strictly (numbers only, no missing cells)."""
    X = strict_encoding(table.feature_names).transform(table.frame).X
    np.testing.assert_array_equal(table.X, X)  # Table.X reads the same, on first use
    return X


def test_csv_with_named_target(tmp_path):
    path = _csv(tmp_path, "a, b ,species\n1,2.5,cat\n3,-4,dog\n\n")
    table = load_table(path, "species")
    np.testing.assert_array_equal(_X(table), [[1, 2.5], [3, -4]])
    assert list(table.y) == ["cat", "dog"]
    assert table.feature_names == ("a", "b")
    numeric = load_table(_csv(tmp_path, "x,y\n1,0\n2,1\n", "n.csv"), "y")
    assert numeric.y.dtype == np.int64 and list(numeric.y) == [0, 1]  # labels as written
    real = load_table(_csv(tmp_path, "x,y\n1,0.5\n2,1.0\n", "r.csv"), "y")
    assert real.y.dtype == np.float64
    spaced = load_table(_csv(tmp_path, "x,y\n1, 2\n2, 3\n", "s.csv"), "y")
    assert spaced.y.dtype == np.int64 and list(spaced.y) == [2, 3]
    chosen = load_table(path, None, ("b",))
    np.testing.assert_array_equal(_X(chosen), [[2.5], [-4]])
    dropped = load_table(path, "species", drop=("a",))
    assert dropped.feature_names == ("b",)


@pytest.mark.parametrize(
    ("text", "target", "message"),
    [
        # the file's own line: the header and blank lines count
        ("a,b\n1,2\n\n\n3,4\n5,x\n6,7\n", "a", r"column 'b' is not numeric \('x'\) at line 6"),
        ("a,b\n\n1,2\n3,4\n5,x\n", "a", r"column 'b' is not numeric \('x'\) at line 5"),
        ('a,b\n1,"two\nlines"\n2,3\n4,5\n', "a", r"not numeric \('two.*lines'\) at line 2"),
        ("a,b\n1,inf\n2,3\n", "a", r"column 'b' has a non-finite value \(inf\) at line 2"),
        ("a,b\n1,2\n\n3,-inf\n", "a", r"non-finite value \(-inf\) at line 4"),
        ("a,b\n1,2,3\n", "a", "line 2 has 3 fields, the header has 2"),
        ("a,b\n1,2\n\n3\n", "a", "line 4 has 1 fields, the header has 2"),
        # pandas fills a short row's last cells as missing: every kind of short row is caught
        ("a,b,c\n1,2,3\n4,5\n6,7,8\n", "a", "line 3 has 2 fields, the header has 3"),
        ("a,b,c\n1,2,3\n\n4,5,\n6\n", "a", "line 5 has 1 fields, the header has 3"),
        ("a,b,c\n1,2,3\n4,5,6,7\n", "a", "line 3 has 4 fields, the header has 3"),
        ("a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n", "a", "line 4 has 4 fields, the header has 3"),
        ('a,b,c\n1,"x,y",3\n4,5\n', "a", "line 3 has 2 fields, the header has 3"),
        ("a,b,c\n1,2,3,\n4,5\n", "a", "line 2 has 4 fields, the header has 3"),
        ("a,b\n1,2\n3,4\n", "c", "no target column 'c'; columns are a, b"),
        ("a,a\n1,2\n", None, "duplicate column names: a"),
        ("a,b,a\n1,2,3\n4,5,6\n", "b", "duplicate column names: a"),
        ("a,b\n1,2\n", "c", "no target column 'c'; columns are a, b"),
        ("", "a", "empty file"),
        ("a,a,b\n1,2,3\n", "b", "duplicate column names: a"),
        ("a,b\n", "a", "has no data rows"),
        ("a,b\n1,\n", "b", "the target column 'b' is empty"),  # the only row has no target
        ("a,b\n1,\n2,NA\n\n3,\n", "b", "the target column 'b' is empty"),
        ("a,b\n1,2\n", "a", None),
    ],
)
def test_csv_errors_name_the_problem(tmp_path, text, target, message):
    if message is None:
        load_table(_csv(tmp_path, text), target)
        return
    with pytest.raises(DataError, match=message):
        _X(load_table(_csv(tmp_path, text), target))


@pytest.mark.parametrize(
    "text",
    [
        "a,b,c\n1,2.5,x\n3,-4,y\n",
        "a,b,c\n1,2.5,\n3,-4,y\n\n",  # a missing last cell (the commas are counted)
        "\ufeffa,b,c\n1,2.5,x\n3,-4,y\n",  # a byte-order mark
        'a,b,c\n1,2.5,"x"\n3,-4,"y, z"\n',  # quotes (read by pyarrow)
        "a, b ,c\r\n1,2.5,x\r\n\r\n3,-4,NA\r\n",
        "a,b,c\n1,2.5,True\n3,-4,false\n",
        "a,b,\n1,2.5,x\n3,-4,y\n",  # a blank column name stays blank
    ],
)
def test_csv_reads_as_pyarrow_does(tmp_path, text):
    """Oracle: pyarrow's reader (the one used for quoted files) reads the same columns."""
    from glassnet.data.csvread import read_arrow, read_csv

    path = tmp_path / "d.csv"
    path.write_bytes(text.encode())
    ours, arrow = read_csv(path), read_arrow(path)
    names = list(arrow.column_names)
    assert list(ours.columns if hasattr(ours, "columns") else ours.column_names) == names
    table = load_table(path, None, (names[0], names[1]))
    np.testing.assert_array_equal(_X(table), np.column_stack(
        [arrow.column(0).to_numpy(), arrow.column(1).to_numpy()]))
    for name in names:
        missing = load_table(path, None, (name,)).frame.values(name)[1]
        np.testing.assert_array_equal(missing, arrow.column(name).is_null().to_numpy())


def test_missing_cells_strict_and_rows_without_target(tmp_path):
    table = load_table(_csv(tmp_path, "a,b\n1,2\n\n3,NA\n4,\n5,?\n6,7\n"), "a")
    with pytest.raises(DataError, match=r"column 'b' has a missing value at line 4"):
        _X(table)
    labelled = load_table(_csv(tmp_path, "a,b\n1,x\n,y\n3,x\nNA,y\n", "t.csv"), "a")
    assert labelled.n_unlabelled == 2 and list(labelled.y) == [1, 3]
    assert list(labelled.frame.values("b")[0]) == ["x", "x"]


def test_missing_and_unsupported_files(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        load_table(tmp_path / "nope.csv", "a")
    (tmp_path / "d.txt").write_text("1")
    with pytest.raises(DataError, match="unsupported file type '.txt'"):
        load_table(tmp_path / "d.txt")
    with pytest.raises(DataError, match="no column 'z'; columns are a, b"):
        load_table(_csv(tmp_path, "a,b\n1,2\n"), None, ("a", "z"))
    with pytest.raises(DataError, match="no column 'q'"):
        load_table(_csv(tmp_path, "a,b\n1,2\n"), "a", drop=("q",))


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
    with_label = load_table(  # the target's cells are not read: they may be blank
        _csv(tmp_path, "a,label\n1,\n2,\n", "l.csv"), "label", require_target=False
    )
    assert with_label.y is None and with_label.feature_names == ("a",)
    assert with_label.frame.n_rows == 2


def test_splits_must_leave_training_rows(rng):
    with pytest.raises(ValueError, match="a split size must be"):
        split_indices(5, 0.99, rng)  # rounds to all 5


def test_a_column_of_text_that_looks_like_numbers_in_early_rows_stays_text(tmp_path):
    """pandas reads a long file in chunks of rows and types each chunk: codes written
    ``010`` in the first chunks would become the number 10 (and a category ``10`` that a
    streamed prediction, reading ``010``, never finds)."""
    rows = ["a,code"] + [f"{i % 7},0{i % 90 + 10}" for i in range(300_000)] + ["1,x1", "2,"]
    path = tmp_path / "codes.csv"
    path.write_text("\n".join(rows) + "\n")
    values, missing = load_table(path, None, ("code",)).frame.values("code")
    assert values[0] == "010" and values[89] == "099" and values[-2] == "x1"
    assert missing.sum() == 1 and missing[-1]


@pytest.mark.parametrize(
    "data",
    [b"\xef", b"\xef\xbb", b"\xef\xbb\n", b"\xef\xbba,b\n1,2\n", b'\r""', b'\n""', b"\r\n\r"],
)
def test_bytes_that_read_as_no_header_are_a_data_error(tmp_path, data):
    """Found by the property test: a truncated byte order mark, or a first line that is empty,
    leaves no header (pandas or pyarrow read something else); one DataError answers, never
    an unpacking or a pandas length error."""
    from glassnet.data.tables import DataError, load_table

    path = tmp_path / "d.csv"
    path.write_bytes(data)
    with pytest.raises(DataError, match="d.csv"):
        load_table(path, "a")
