"""A report made later from a ``glassnet train`` model file shows the run's diagnostics
(gradient norms per layer, saturated or dead units, plateaus, their figure), read from the
summary the model file keeps (``settings["diagnostics"]``), the same as the training
report's; files without it keep the words that say where a run's diagnostics are."""

from __future__ import annotations

import math
import re
import shutil

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model, save_model
from glassnet.views.diagnostics import DiagnosticsRecord, detect_plateaus
from glassnet.views.diagnostics_summary import (
    MOST_POINTS,
    DiagnosticsSummary,
    stored_diagnostics,
)

NOT_RECORDED = "No diagnostics were recorded for this report"
STORED = "kept in the model file: the numbers of its training report"


def _csv(tmp_path, n=120, regression=False):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(n, 3))
    y = X[:, 0] - 2 * X[:, 1] if regression else np.where(X[:, 0] * X[:, 1] > 0, "yes", "no")
    lines = ["a,b,c,label"] + [f"{a},{b},{c},{t}" for (a, b, c), t in zip(X, y, strict=True)]
    path = tmp_path / "data.csv"
    path.write_text("\n".join(lines) + "\n")
    return X, y, path


def _train(tmp_path, csv, *extra):
    out = tmp_path / "run" / "model.npz"
    argv = ["train", "--data", str(csv), "--target", "label", "--progress", "off",
            "--out", str(out), *extra]  # fmt: skip
    assert main(argv) == 0
    return out


def _later_report(tmp_path, model, csv):
    """The report of a copy of the model alone (no history.json, no report.html beside)."""
    alone = tmp_path / "alone" / "model.npz"
    alone.parent.mkdir()
    shutil.copy(model, alone)
    out = tmp_path / "later.html"
    assert main(["report", "--model", str(alone), "--data", str(csv), "--target", "label",
                 "--out", str(out)]) == 0  # fmt: skip
    return out.read_text()


def _section(page):
    start = page.index('<section id="diagnostics">')
    return page[start : page.index("</section>", start)]


def _cells(section):
    return re.findall(r"<tr>(.*?)</tr>", section)


@pytest.mark.parametrize(
    "extra",
    [
        ("--hidden", "8,4", "--activation", "relu", "--epochs", "30"),
        ("--hidden", "6", "--activation", "tanh", "--epochs", "25", "--optimizer", "momentum"),
        ("--hidden", "5", "--activation", "logistic", "--epochs", "12", "--patience", "3"),
    ],
)
def test_the_later_report_shows_the_training_reports_diagnostics(tmp_path, capsys, extra):
    _, _, csv = _csv(tmp_path)
    model = _train(tmp_path, csv, *extra)
    trained = _section((model.parent / "report.html").read_text())
    later = _section(_later_report(tmp_path, model, csv))
    assert NOT_RECORDED not in later and STORED in later
    assert _cells(later) == _cells(trained) and len(_cells(later)) >= 3  # header + layers
    plateau = re.findall(r'<p class="note">(.*?)</p>', trained)
    assert plateau and re.findall(r'<p class="note">(.*?)</p>', later) == plateau
    figure = re.findall(r'src="(data:image/png;base64,[^"]*)"', trained)
    assert len(figure) == 1 and re.findall(r'src="(data:image/png;base64,[^"]*)"', later) == figure
    capsys.readouterr()


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_the_stored_numbers_are_the_saved_parameters(tmp_path, capsys, activation):
    """With all rows trained on (fewer than the 256 of the probe) and the last epoch kept,
    the last step's gradient norms and unit health are those of the saved parameters on
    every row, computed here from the network's own pass."""
    X, y, csv = _csv(tmp_path)
    out = _train(tmp_path, csv, "--hidden", "7,5", "--activation", activation, "--epochs", "9",
                 "--val-fraction", "0")  # fmt: skip
    model = load_model(out)
    stored = stored_diagnostics(model.settings)
    assert stored is not None and stored.steps == 10 and not stored.plateaus  # epochs 0..9
    X_in = model.inputs(X)
    codes = np.searchsorted(model.classes, y)
    T = np.eye(len(model.classes))[codes] if model.net.sizes[-1] > 1 else codes[:, None] * 1.0
    _, grads = model.net.loss_and_grad(model.params, X_in, T)
    norms = [math.sqrt(sum(float(np.sum(g**2)) for g in layer.values())) for layer in grads]
    assert stored.norm_end == pytest.approx(norms, rel=1e-9)
    assert stored.curve_norms[-1] == stored.norm_end and stored.curve_steps[-1] == 9
    hidden = model.net.hidden_activations(model.params, X_in)
    if activation == "relu":
        health = [float(np.mean(~np.any(A != 0, axis=0))) for A in hidden]
    else:
        health = [float(np.mean(np.abs(A) > 0.99)) for A in hidden]
    assert stored.health_end == pytest.approx(health, abs=1e-12)
    assert all(w >= e for w, e in zip(stored.norm_largest, stored.norm_end, strict=True))
    capsys.readouterr()


def test_a_regressors_later_report_shows_them_too(tmp_path, capsys):
    _, _, csv = _csv(tmp_path, regression=True)
    model = _train(tmp_path, csv, "--task", "regression", "--hidden", "6", "--epochs", "8")
    trained = _section((model.parent / "report.html").read_text())
    later = _section(_later_report(tmp_path, model, csv))
    assert STORED in later and _cells(later) == _cells(trained)
    capsys.readouterr()


@pytest.mark.parametrize("damage", ["none", "short curve", "not a dict", "missing key"])
def test_files_without_a_usable_summary_keep_the_words(tmp_path, capsys, damage):
    _, _, csv = _csv(tmp_path)
    out = _train(tmp_path, csv, "--hidden", "4", "--epochs", "3")
    model = load_model(out)
    if damage == "none":
        del model.settings["diagnostics"]  # as glassnet train wrote it before
    elif damage == "short curve":
        model.settings["diagnostics"]["curve_norms"].pop()
    elif damage == "not a dict":
        model.settings["diagnostics"] = "diagnostics"
    else:
        del model.settings["diagnostics"]["norm_end"]
    old = tmp_path / "old.npz"
    save_model(model, old)
    page = tmp_path / "old.html"
    assert main(["report", "--model", str(old), "--data", str(csv), "--target", "label",
                 "--out", str(page)]) == 0  # fmt: skip
    section = _section(page.read_text())
    assert NOT_RECORDED in section and "report.html, written beside the model" in section
    assert STORED not in section
    capsys.readouterr()


def _record(rng, steps, spike_at=None):
    rec = DiagnosticsRecord(["relu", "tanh"])
    for k in range(steps):
        norms = rng.uniform(0.1, 1.0, size=3)
        if k == spike_at:
            norms[1] = 1e3
        rec.loss.append(float(5.0 if k < 30 else 5.0 * np.exp(-(k - 30) / 3)))  # a plateau
        rec.grad_norms.append([float(v) for v in norms])
        rec.health.append([float(v) for v in rng.uniform(0, 1, size=2)])
    return rec


@pytest.mark.parametrize("steps", [1, 7, MOST_POINTS, MOST_POINTS + 1, 1203])
def test_summary_of_a_record(rng, steps):
    rec = _record(rng, steps, spike_at=steps // 2 + 1 if steps > 2 else None)
    s = DiagnosticsSummary.of(rec)
    norms, health = np.asarray(rec.grad_norms), np.asarray(rec.health)
    assert s.steps == steps and s.health_kinds == ["dead", "saturated"]
    assert s.norm_start == norms[0].tolist() and s.norm_end == norms[-1].tolist()
    assert s.norm_largest == norms.max(axis=0).tolist()  # the spike, drawn or not
    assert s.health_worst == health.max(axis=0).tolist() and s.health_end == health[-1].tolist()
    assert s.plateaus == detect_plateaus(rec.loss)
    assert len(s.curve_steps) == min(steps, MOST_POINTS)
    assert s.curve_steps[0] == 0 and s.curve_steps[-1] == steps - 1
    assert np.all(np.diff(s.curve_steps) > 0)
    assert s.curve_norms == norms[s.curve_steps].tolist()
    back = DiagnosticsSummary.from_dict(s.as_dict())
    assert back.stored and back == DiagnosticsSummary(**{**vars(s), "stored": True})


def test_a_summary_names_its_steps_by_number(rng):
    """A resumed run records epoch 0, then the epochs after the resume: the curves and the
    plateaus name those epochs, and the epochs between are named as not recorded."""
    rec = _record(rng, 61)  # a plateau over its first 30 rows
    at = [0, *range(40, 100)]
    s = DiagnosticsSummary.of(rec, at=at)
    assert s.curve_steps == at and s.unseen == [1, 39] and s.steps == 61
    by_row = detect_plateaus(rec.loss)
    assert by_row and [(p.start, p.end) for p in s.plateaus] == [
        (at[p.start], at[p.end]) for p in by_row
    ]
    assert DiagnosticsSummary.from_dict(s.as_dict()).unseen == [1, 39]
    assert DiagnosticsSummary.of(rec).unseen is None
    for bad in ([0, 0, *range(2, 61)], list(range(60))):
        with pytest.raises(ValueError, match="increasing steps"):
            DiagnosticsSummary.of(rec, at=bad)


def test_a_resumed_runs_report_names_the_epochs_it_did_not_record(tmp_path, capsys):
    _, _, csv = _csv(tmp_path)
    model = _train(tmp_path, csv, "--hidden", "5", "--epochs", "4", "--val-fraction", "0")
    _train(tmp_path, csv, "--hidden", "5", "--epochs", "9", "--val-fraction", "0", "--resume")
    stored = stored_diagnostics(load_model(model).settings)
    assert stored is not None and stored.curve_steps == [0, 5, 6, 7, 8, 9]
    assert stored.unseen == [1, 4]
    trained = _section((model.parent / "report.html").read_text())
    later = _section(_later_report(tmp_path, model, csv))
    assert "not epochs 1-4, run before the resume" in trained
    assert "not epochs 1-4, run before the resume" in later and STORED in later
    assert _cells(later) == _cells(trained)
    capsys.readouterr()


def test_an_empty_record_has_no_summary():
    with pytest.raises(ValueError, match="no diagnostics were recorded"):
        DiagnosticsSummary.of(DiagnosticsRecord(["tanh"]))
    assert stored_diagnostics({}) is None and stored_diagnostics({"diagnostics": []}) is None
