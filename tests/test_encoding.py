"""Column types and their encoding (glassnet.data.frames, glassnet.data.encoding).

The oracle for the one-hot columns and the imputation is pandas itself (``get_dummies``,
``median``) on the same rows; error positions are counted by hand in each file.
"""

import numpy as np
import pytest

from glassnet.data.encoding import MISSING, OTHER, Encoding, fit_encoding, strict_encoding
from glassnet.data.frames import Frame
from glassnet.data.tables import DataError, load_table

pd = pytest.importorskip("pandas")


def _frame(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text)
    return load_table(path).frame


def test_one_hot_and_median_fill_match_pandas(rng):
    n = 200
    df = pd.DataFrame(
        {
            "age": np.where(rng.random(n) < 0.2, np.nan, rng.uniform(1, 80, n)),
            "sex": rng.choice(["male", "female"], n),
            "port": pd.Series(rng.choice(["C", "Q", "S", None], n), dtype=object),
            "alone": rng.random(n) < 0.5,
        }
    )
    enc = fit_encoding(Frame(df, "df"))
    X = enc.transform(Frame(df, "df")).X
    assert enc.feature_names() == (
        "age", "age (missing)", "sex=female", "sex=male",
        f"port={MISSING}", "port=C", "port=Q", "port=S", "alone=False", "alone=True",
    )  # fmt: skip
    age = df["age"].fillna(df["age"].median())
    np.testing.assert_array_equal(X[:, 0], age)
    np.testing.assert_array_equal(X[:, 1], df["age"].isna())
    labels = df[["sex", "port", "alone"]].assign(port=df["port"].fillna(MISSING)).astype(str)
    dummies = pd.get_dummies(labels)
    np.testing.assert_array_equal(X[:, 2:], dummies.to_numpy(dtype=float))
    assert enc.columns[0].n_missing == int(df["age"].isna().sum())
    back = Encoding.from_json(enc.to_json())
    assert back == enc


def test_unseen_categories_encode_as_zeros_and_are_counted(tmp_path):
    train = _frame(tmp_path, "colour,size\nred,1\nblue,2\nred,3\n")
    enc = fit_encoding(train)
    new = _frame(tmp_path, "colour,size\ngreen,1\nred,2\npink,\n", "new.csv")
    out = enc.transform(new)
    np.testing.assert_array_equal(out.X[:, :2], [[0, 0], [0, 1], [0, 0]])
    assert out.unseen == {"colour": 2}
    assert out.X[2, 2] == 2.0  # the training median fills a cell training never missed


@pytest.mark.parametrize("cap", [2, 3, 4])
def test_category_cap_pools_rare_ones_into_other(cap):
    values = ["a"] * 5 + ["b"] * 4 + ["c"] * 3 + ["d"] * 2 + ["e"]
    frame = Frame(pd.DataFrame({"k": values}), "df")
    enc = fit_encoding(frame, max_categories=cap)
    col = enc.columns[0]
    assert col.categories == (*"abcde"[: cap - 1], OTHER)
    assert col.pooled == tuple("abcde"[cap - 1 :])
    out = enc.transform(Frame(pd.DataFrame({"k": ["e", "a", "zzz"]}), "df"))
    expected = np.zeros((3, cap))
    expected[0, -1] = expected[1, 0] = 1  # a pooled category goes to (other); unseen: zeros
    np.testing.assert_array_equal(out.X, expected)
    assert out.unseen == {"k": 1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # mostly numbers with a stray word: the line and the value, never a category
        ("a,b\n1,2\n2,3\n\n3,oops\n4,5\n", r"column 'b' holds numbers but also 'oops' at line 5"),
        ("a,b\n1,2.5\n2,n.a.\n3,4\n", r"'n.a.' at line 3"),
        ("a,b\n1,1e3\n2,1,5\n3,4\n", "line 3 has 3 fields"),
        # dates and IDs: named, with the option that leaves them out
        ("a,when\n1,2024-01-05\n2,2024-02-01\n", r"'when' holds dates or times; .* --drop when"),
        ("a,when\n1,2024-01-05 10:00\n2,\n", r"'when' holds dates or times"),
        ("a,when\n1,2024-01-05T10:00:00Z\n2,2024-01-06T10:00:00Z\n", r"dates or times"),
        ("a,b\n" + "".join(f"{i % 3},name{i}\n" for i in range(30)), r"'b' looks like an ID"),
        ("b,a\n" + "".join(f"{i + 100},{i % 2}\n" for i in range(30)), r"'b' looks like an ID"),
        ("a,b\n1,\n2,\n", r"column 'b' has no values; leave it out with --drop b"),
    ],
)
def test_columns_that_cannot_be_features(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        fit_encoding(_frame(tmp_path, text))


def test_ordinary_columns_are_not_mistaken_for_ids_or_errors(tmp_path):
    rows = "".join(f"{i * 3},{i % 4},cat{i % 3},{i * 0.5}\n" for i in range(30))
    enc = fit_encoding(_frame(tmp_path, "a,b,c,d\n" + rows))  # a: unique but not a row count
    assert [c.kind for c in enc.columns] == ["numeric", "numeric", "category", "numeric"]
    small = fit_encoding(_frame(tmp_path, "id,name\n1,x\n2,y\n", "s.csv"))  # too few rows
    assert [c.kind for c in small.columns] == ["numeric", "category"]
    text_numbers = fit_encoding(Frame(pd.DataFrame({"x": [" 1", "2.5 ", None]}), "df"))
    assert text_numbers.columns[0].kind == "numeric" and text_numbers.columns[0].fill == 1.75


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02"])), "dates or times"),
        (pd.Series(pd.to_timedelta([1, 2], unit="s")), "dates or times"),
        (pd.Series([b"x", b"y"], dtype=object), "byte strings"),
        (pd.Series([{"a": 1}, {"b": 2}], dtype=object), "records"),
        (pd.Series([[1, 2], [3]], dtype=object), "lists"),
        (pd.Series([pd.Timestamp(0).time()] * 2, dtype=object), "dates or times"),
    ],
)
def test_dataframe_columns_of_every_dtype_are_checked(column, message):
    with pytest.raises(DataError, match=message):
        fit_encoding(Frame(pd.DataFrame({"c": column}), "df"))


def test_strict_encoding_refuses_missing_cells(tmp_path):
    frame = _frame(tmp_path, "a,b\n1,2\n\n3,NA\n")
    with pytest.raises(DataError, match=r"column 'b' has a missing value at line 4"):
        strict_encoding(("a", "b")).transform(frame)
    with pytest.raises(DataError, match=r"column 'b' has a missing value at line 4"):
        fit_encoding(frame, impute=False)


def test_types_are_judged_on_every_row_and_statistics_on_training_rows(tmp_path):
    frame = _frame(tmp_path, "a,b\n1,2\n2,x\n3,4\n4,6\n")
    with pytest.raises(DataError, match="'x' at line 3"):
        fit_encoding(frame, rows=np.array([0, 2, 3]))  # the stray cell is in other rows
    frame = _frame(tmp_path, "a\n1\n2\n100\n", "m.csv")
    enc = fit_encoding(frame, rows=np.array([0, 1]))
    assert enc.columns[0].fill == 1.5
