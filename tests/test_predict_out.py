"""``glassnet predict``'s output (NU9 #24, #25, #27):

* a stop signal stops it between blocks, leaves ``--out`` as it was (or not created), and
  says so with the signal's exit code; one that comes as the whole file is renamed into
  place lets it be, and says that every prediction is written;
* ``--out`` is written in the format its suffix names (CSV, Parquet), any other suffix is
  refused before anything is read;
* ``--keep COL,...`` copies input columns, as read, beside the predictions, block by block.

The oracles: pandas and pyarrow read the inputs and outputs; the predictions themselves
are compared with an uninterrupted CSV run and with ``Model.predict``.
"""

import signal

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from _interrupts import sigint_at_rename

import glassnet.cli.prediction_out as prediction_out
import glassnet.data.blocks as blocks
from glassnet.cli.main import main
from glassnet.files.modelfile import load_model

ROWS = 600
OLD = "prediction\nold\n"  # an earlier run's predictions (predict refuses a user's file)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A classifier trained on ``x0, x1, colour`` (``id``, text with leading zeros, left
    out), and new data with the same columns, an ``n`` column of integers and a blank."""
    folder = tmp_path_factory.mktemp("pred")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(ROWS, 2))
    table = pd.DataFrame({
        "id": [f"{i:05d}" for i in range(ROWS)],
        "x0": X[:, 0].round(4), "x1": X[:, 1].round(4),
        "colour": rng.choice(["red", "green"], ROWS),
        "n": np.arange(ROWS) * 7,
        "label": np.where(X[:, 0] + X[:, 1] > 0, "yes", "no"),
    })  # fmt: skip
    table.loc[3, "id"] = None  # a blank cell to keep
    data = folder / "data.csv"
    table.to_csv(data, index=False)
    table.to_parquet(folder / "data.parquet", index=False)
    model = folder / "m.npz"
    assert main(["train", "--data", str(data), "--target", "label", "--drop", "id,n",
                 "--epochs", "2", "--hidden", "4", "--progress", "off",
                 "--out", str(model)]) == 0  # fmt: skip
    reference = folder / "reference.csv"
    assert main(["predict", "--model", str(model), "--data", str(data), "--proba",
                 "--out", str(reference)]) == 0  # fmt: skip
    return model, data, reference


def _predict(model, data, out, *extra):
    argv = ["predict", "--model", str(model), "--data", str(data), *extra]
    try:
        return main(argv + (["--out", str(out)] if out is not None else []))
    except SystemExit as exc:  # argparse's errors: one line, exit code 2
        return exc.code


@pytest.fixture
def small_blocks(monkeypatch):
    """CSV blocks of about 2 KB (some 40 rows), so a run has many."""
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 2048)


@pytest.fixture
def table_blocks(monkeypatch):
    """CSV blocks of about 4 KB and Parquet batches of 100 rows, so a table of either kind
    is read (and written) in several blocks."""
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(blocks, "PARQUET_ROWS", 100)


def _signal_at_block(monkeypatch, signum, at):
    """Send ``signum`` to the process as block ``at`` is predicted; returns the calls."""
    calls = []
    real = prediction_out.prediction_columns

    def columns(*args, **kwargs):
        calls.append(len(args[1]))
        if len(calls) == at:
            signal.raise_signal(signum)
        return real(*args, **kwargs)

    monkeypatch.setattr(prediction_out, "prediction_columns", columns)
    return calls


def _leftovers(folder):
    return [p.name for p in folder.iterdir() if ".tmp" in p.name]


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("existed", [True, False])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_signal_stops_predict_between_blocks_and_leaves_out_as_it_was(
    trained, tmp_path, capsys, monkeypatch, small_blocks, name, existed, suffix
):
    model, data, _ = trained
    out = tmp_path / f"p{suffix}"
    if existed:  # earlier predictions (predict writes over no other kind of file)
        assert _predict(model, data, out) == 0
    earlier = out.read_bytes() if existed else None
    calls = _signal_at_block(monkeypatch, getattr(signal, name), at=3)
    capsys.readouterr()
    code = _predict(model, data, out, "--proba")
    said = capsys.readouterr()
    assert code == 128 + getattr(signal, name)
    assert len(calls) == 3  # stopped there: the rest of the blocks were never predicted
    assert said.out == ""  # no "wrote", no "replaced"
    done = sum(calls[:2])  # the blocks written before the signal came in the third
    kept = "left as it was" if existed else "not created"
    assert said.err == (f"glassnet predict: interrupted by {name} after {done} predictions; "
                        f"nothing was written: {out} was {kept}\n")  # fmt: skip
    if existed:
        assert out.read_bytes() == earlier
    else:
        assert not out.exists()
    assert _leftovers(tmp_path) == []


def test_a_signal_to_standard_output_says_the_output_is_incomplete(
    trained, capsys, monkeypatch, small_blocks
):
    model, data, _ = trained
    calls = _signal_at_block(monkeypatch, signal.SIGINT, at=2)
    capsys.readouterr()
    assert _predict(model, data, None) == 130
    said = capsys.readouterr()
    assert len(said.out.splitlines()) == 1 + calls[0]  # the header and the first block
    assert said.err == (f"glassnet predict: interrupted by SIGINT after {calls[0]} predictions; "
                        "standard output holds those only (incomplete)\n")  # fmt: skip


@pytest.mark.parametrize("existed", [True, False])
def test_a_signal_as_the_file_is_renamed_into_place_lets_it_be_written_whole(
    trained, tmp_path, capsys, monkeypatch, existed
):
    model, data, reference = trained
    out = tmp_path / "p.csv"
    if existed:
        out.write_text("prediction\nold\n")
    sigint_at_rename(monkeypatch)
    capsys.readouterr()
    assert _predict(model, data, out, "--proba") == 130
    said = capsys.readouterr()
    assert out.read_bytes() == reference.read_bytes()
    assert f"wrote {ROWS} predictions to {out}" in said.out
    assert (f"note: replaced the earlier {out}" in said.out) == existed
    assert said.err == (f"glassnet predict: SIGINT came as {out} was renamed into place: "
                        "every prediction is written\n")  # fmt: skip
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("suffix", [".parquet", ".pq", ".PARQUET"])
@pytest.mark.parametrize("source", ["data.csv", "data.parquet"])
def test_parquet_out_is_parquet_with_the_csv_values(
    trained, tmp_path, table_blocks, suffix, source
):
    model, data, reference = trained
    out = tmp_path / f"p{suffix}"
    assert _predict(model, data.parent / source, out, "--proba") == 0
    got = pq.read_table(out)
    assert got.schema.metadata == {b"glassnet": b"predictions"}
    assert pq.ParquetFile(out).metadata.num_row_groups > 1  # streamed, a row group a block
    pd.testing.assert_frame_equal(got.to_pandas(), pd.read_csv(reference))


def test_parquet_predictions_are_known_as_predictions(trained, tmp_path, capsys):
    """Over its own Parquet output ``predict`` writes (naming it replaced); ``report`` and
    ``export-onnx`` refuse it as they refuse a CSV of predictions; a user's Parquet table is
    no glassnet file."""
    from glassnet.cli.checks import run_file_kind

    model, data, _ = trained
    out = tmp_path / "p.parquet"
    assert _predict(model, data, out) == 0
    assert run_file_kind(out) == "a table of predictions"
    assert run_file_kind(data.parent / "data.parquet") is None
    capsys.readouterr()
    assert _predict(model, data, out, "--proba") == 0
    assert f"note: replaced the earlier {out}" in capsys.readouterr().out
    before = out.read_bytes()
    for argv in (["report", "--model", str(model), "--data", str(data), "--target", "label"],
                 ["export-onnx", "--model", str(model)]):  # fmt: skip
        assert main([*argv, "--out", str(out)]) == 2
        assert "is a table of predictions" in capsys.readouterr().err
    assert out.read_bytes() == before


def test_csv_is_written_for_upper_case_suffix(trained, tmp_path):
    model, data, reference = trained
    out = tmp_path / "P.CSV"
    assert _predict(model, data, out, "--proba") == 0
    assert out.read_bytes() == reference.read_bytes()


@pytest.mark.parametrize("name", ["p.npy", "p.npz", "p.txt", "p.json", "p", "p.csv.gz"])
@pytest.mark.parametrize("existed", [True, False])
def test_other_suffixes_are_refused_before_anything_is_read(
    trained, tmp_path, capsys, name, existed
):
    model, _, _ = trained
    out = tmp_path / name
    if existed:
        out.write_text(OLD)
    capsys.readouterr()
    code = _predict(model, tmp_path / "absent.csv", out)  # the data is never read
    said = capsys.readouterr()
    assert code == 2 and said.out == ""
    assert len(said.err.strip().splitlines()) == 1
    assert f"--out {out}: predict writes a table as CSV (.csv) or Parquet" in said.err
    assert (out.read_text() == OLD) if existed else not out.exists()


def test_help_says_the_formats_and_keep(capsys):
    with pytest.raises(SystemExit):
        main(["predict", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "CSV (.csv) or Parquet (.parquet, .pq)" in text and "--keep COL,..." in text


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("source", ["data.csv", "data.parquet"])
def test_keep_copies_input_columns_beside_the_predictions_row_for_row(
    trained, tmp_path, table_blocks, suffix, source
):
    model, data, reference = trained
    out = tmp_path / f"p{suffix}"
    keep = "id,n,colour,x0"  # text with leading zeros and a blank, integers, a feature
    assert _predict(model, data.parent / source, out, "--proba", "--keep", keep) == 0
    got = pd.read_csv(out, dtype=str, keep_default_na=False) if suffix == ".csv" else (
        pq.read_table(out).to_pandas())  # fmt: skip
    assert list(got.columns) == ["id", "n", "colour", "x0", "prediction", "proba_no",
                                 "proba_yes"]  # fmt: skip
    raw = pd.read_csv(data, dtype=str, keep_default_na=False)  # the cells as written
    want = pd.read_csv(reference)
    if suffix == ".csv":
        for name in ("id", "colour"):
            assert list(got[name]) == list(raw[name])  # "00007" stays "00007"; the blank too
        assert [float(v) for v in got["x0"]] == [float(v) for v in raw["x0"]]
        assert [int(float(v)) for v in got["n"]] == [int(v) for v in raw["n"]]
        assert list(got["prediction"]) == list(want["prediction"])
    else:
        table = pd.read_parquet(data.parent / "data.parquet")
        arrow = pq.read_table(out)
        assert arrow.column("id").to_pylist() == [None if v == "" else v for v in raw["id"]]
        np.testing.assert_array_equal(got["n"].astype(np.int64), table["n"])
        assert got["x0"].tolist() == table["x0"].tolist()
        pd.testing.assert_frame_equal(got[list(want.columns)], want)


def test_keep_streams_with_the_blocks_in_the_input_order(trained, tmp_path, monkeypatch):
    """Each block's kept cells sit beside that block's predictions: the labels of the rows
    the IDs name are ``Model.predict``'s for those rows."""
    model, data, _ = trained
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 1024)
    out = tmp_path / "p.csv"
    assert _predict(model, data, out, "--keep", "n") == 0
    got = pd.read_csv(out)
    table = pd.read_csv(data)
    rows = table.set_index("n").loc[got["n"]]
    expected = load_model(model).predict(rows[["x0", "x1", "colour"]].reset_index(drop=True))
    assert list(got["prediction"]) == list(expected) and len(got) == ROWS


@pytest.mark.parametrize(
    ("keep", "said"),
    [("idd", "no --keep column 'idd'; did you mean 'id'?"),
     ("id,nope", "no --keep column 'nope'"),
     ("prediction", "--keep prediction: the predictions have a column of that name"),
     ("id,,n", "expected column names"),
     ("id,id", "the column 'id' is named twice")],
)  # fmt: skip
@pytest.mark.parametrize("source", ["data.csv", "data.parquet"])
def test_keep_of_a_column_the_output_cannot_take_is_refused(
    trained, tmp_path, capsys, keep, said, source
):
    model, data, _ = trained
    source_path = data.parent / source
    if keep == "prediction":  # a table with a column of that name
        source_path = tmp_path / "with_prediction.csv"
        pd.read_csv(data).assign(prediction=1).to_csv(source_path, index=False)
    out = tmp_path / "p.csv"
    capsys.readouterr()
    code = _predict(model, source_path, out, "--keep", keep)
    err = capsys.readouterr().err
    assert code == 2 and said in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists() and _leftovers(tmp_path) == []


def test_keep_of_an_array_file_is_refused(trained, tmp_path, capsys):
    model, _, _ = trained
    array = tmp_path / "X.npy"
    np.save(array, np.zeros((3, 2)))
    assert _predict(model, array, tmp_path / "p.csv", "--keep", "id") == 2
    assert "--keep names columns of a table (.csv, .parquet)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("header", "kept", "kind"),
    [("id,visit,prediction,proba_a,proba_b", ("id", "visit"), "a table of predictions"),
     ("id,prediction_0,prediction_1", ("id",), "a table of predictions"),
     ("id,visit,prediction", ("id",), None),  # visit is not kept: a table of the user's
     ("visit,id,prediction", ("id", "visit"), None),  # not in the order kept
     ("id,visit,prediction", (), None),
     ("id,prediction,score", ("id",), None)],
)  # fmt: skip
def test_a_table_with_the_kept_columns_first_is_predictions_for_that_keep(
    tmp_path, header, kept, kind
):
    from glassnet.cli.checks import run_file_kind

    path = tmp_path / "t.csv"
    path.write_text(header + "\n1,2,3\n")
    assert run_file_kind(path, kept) == kind


def test_predict_keep_writes_over_its_own_output(trained, tmp_path, capsys):
    model, data, _ = trained
    out = tmp_path / "p.csv"
    assert _predict(model, data, out, "--keep", "id,n") == 0
    capsys.readouterr()
    assert _predict(model, data, out, "--keep", "id,n", "--proba") == 0
    assert f"note: replaced the earlier {out}" in capsys.readouterr().out
    assert pd.read_csv(out).columns[:3].tolist() == ["id", "n", "prediction"]
