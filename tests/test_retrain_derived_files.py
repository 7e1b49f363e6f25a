"""Re-training into the same ``--out`` (NU12 #6): the files ``export-onnx`` and ``report``
wrote beside the replaced model under its name (``MODEL.onnx``, ``MODEL-report-DATA.html``,
``MODEL-predictions-DATA.html``) stay, untouched, and one note names them as made from an
earlier model; a first train, or a train into another name, names none."""

import pytest

from glassnet.cli.default_outs import derived_paths
from glassnet.cli.main import main

MOONS = ["--dataset", "moons", "--n-samples", "60", "--epochs", "2", "--progress", "off"]


def _train(out, hidden):
    return main(["train", *MOONS, "--hidden", str(hidden), "--out", str(out)])


def test_a_retrain_names_the_replaced_models_exports_and_reports(tmp_path, capsys):
    pytest.importorskip("onnx")
    model = tmp_path / "m.npz"
    assert _train(model, 3) == 0
    assert "made from" not in capsys.readouterr().out
    (tmp_path / "new.csv").write_text("x0,x1,label\n0.1,0.2,0\n1.0,-0.5,1\n0.3,0.9,1\n")
    assert main(["export-onnx", "--model", str(model)]) == 0
    data = ["--data", str(tmp_path / "new.csv")]
    assert main(["report", "--model", str(model), *data, "--target", "label"]) == 0
    assert main(["report", "--model", str(model), *data]) == 0
    (tmp_path / "m2.onnx").write_text("not derived from m\n")
    derived = [tmp_path / n for n in ("m-predictions-new.html", "m-report-new.html", "m.onnx")]
    kept = {p: p.read_bytes() for p in derived}
    capsys.readouterr()
    assert _train(model, 5) == 0
    lines = [ln for ln in capsys.readouterr().out.splitlines() if "made from" in ln]
    assert lines == [f"note: {', '.join(map(str, derived))} were made from an earlier model, "
                     "not this one; export-onnx or report again"]  # fmt: skip
    assert {p: p.read_bytes() for p in derived} == kept  # never deleted nor rewritten
    assert _train(tmp_path / "other.npz", 3) == 0  # m's files are not other's
    assert "made from" not in capsys.readouterr().out


def test_derived_paths_are_the_default_outputs_beside_the_model(tmp_path):
    names = ["m.onnx", "m-report-a.html", "m-predictions-b.c.html", "m.npz", "mm.onnx",
             "m-report-a.txt", "m2-report-a.html", "report.html"]  # fmt: skip
    for name in names:
        (tmp_path / name).write_text("x")
    assert [p.name for p in derived_paths(tmp_path / "m.npz")] == [
        "m-predictions-b.c.html", "m-report-a.html", "m.onnx"]  # fmt: skip
    assert derived_paths(tmp_path / "absent" / "m.npz") == []
