"""One record of a run, every view: the console, history.json, the report, loss.png and the
model file agree with each other and with the saved parameters, recomputed independently."""

import json

import numpy as np
import pytest
from _csv_tables import write_labelled_csv
from _interrupt import stop_in_epoch
from _report_rows import summary_rows

from glassnet.cli.main import main
from glassnet.data.tables import load_table
from glassnet.files.modelfile import load_model


@pytest.fixture
def csv_data(tmp_path):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(90, 3))
    label = np.where(X[:, 0] - X[:, 2] > 0.2, "yes", "no")
    return write_labelled_csv(tmp_path / "data.csv", X, label)


def _train(tmp_path, csv_data, capsys, *extra):
    out = tmp_path / "run" / "model.npz"
    argv = ["train", "--data", str(csv_data), "--target", "label", "--hidden", "6"]
    assert main([*argv, "--progress", "off", "--out", str(out), *extra]) == 0
    console = capsys.readouterr().out
    history = json.loads((out.parent / "history.json").read_text())
    page = summary_rows((out.parent / "report.html").read_text())
    return out, console, history, page


def _loss_of(model, X, codes):
    """The mean cross-entropy of the saved model, recomputed from its probabilities."""
    P = model.predict_proba(X)
    P = np.column_stack([1 - P[:, 0], P[:, 0]]) if P.shape[1] == 1 else P
    return float(-np.mean(np.log(P[np.arange(len(codes)), codes])))


@pytest.mark.parametrize(
    ("extra", "epochs", "kept"),
    [
        (["--epochs", "5", "--val-fraction", "0"], 5, 5),  # all rows, the last epoch
        (["--epochs", "4", "--val-fraction", "0.3", "--patience", "0"], 4, 4),
        (["--epochs", "0", "--val-fraction", "0"], 0, 0),  # nothing trained: final == initial
    ],
)
def test_every_view_shows_the_record_and_the_saved_model(
    tmp_path, csv_data, capsys, extra, epochs, kept
):
    out, console, history, page = _train(tmp_path, csv_data, capsys, *extra)
    assert history["epoch"] == list(range(epochs + 1))  # epoch 0 is the initialization
    assert history["kept_epoch"] == kept
    assert f"stopped after {epochs} epochs" in console
    assert f"kept the parameters of epoch {kept}" in console
    untrained = "trained 0 epochs, the model is the untrained initialization"  # NU12 #1
    assert (untrained in console) == (epochs == 0)
    assert page["epochs"] == str(epochs)
    # how the run ended: the record's stop_reason, in the report as in history.json
    assert page["ending"] == f"{history['stop_reason']} after {epochs} epochs"
    assert history["stop_reason"] == ("completed" if epochs == kept else "early stopping")
    assert page["kept epoch (the parameters shown and saved)"] == str(kept)
    assert float(page["initial loss (epoch 0, before training)"]) == pytest.approx(
        history["loss"][0], rel=1e-5
    )
    model = load_model(out)
    table = load_table(csv_data, "label")
    codes = np.searchsorted(model.classes, table.y)
    if "--val-fraction" in extra and extra[extra.index("--val-fraction") + 1] == "0":
        final = _loss_of(model, table.X, codes)  # every row is a training row
        assert history["final"]["train"]["loss"] == pytest.approx(final, rel=1e-9)
        assert float(page["final loss (the kept parameters, training rows)"]) == pytest.approx(
            final, rel=1e-5
        )
    if epochs == 0:
        assert history["final"]["train"]["loss"] == pytest.approx(history["loss"][0], rel=1e-12)
    run = model.settings["run"]
    assert (run["epochs"], run["kept_epoch"]) == (epochs, kept)
    assert run["final"] == history["final"] and run["initial_loss"] == history["loss"][0]


def test_early_stopping_marks_best_and_kept_epoch_everywhere(tmp_path, csv_data, capsys):
    extra = ["--epochs", "300", "--lr", "0.05", "--val-fraction", "0.3", "--patience", "3"]
    out, console, history, page = _train(tmp_path, csv_data, capsys, *extra)
    val = history["val_loss"]
    best = int(np.argmin(val))  # an independent reading of the column: epoch = index
    assert history["stop_reason"] == "early stopping"
    assert history["kept_epoch"] == history["best_epoch"] == best
    assert history["epoch"][-1] == best + 3 and page["epochs"] == str(best + 3)
    assert page["kept epoch (the parameters shown and saved)"] == str(best)
    assert page["best epoch (lowest monitored loss)"] == str(best)
    assert page["ending"] == f"early stopping after {best + 3} epochs"
    assert f"stopped after {best + 3} epochs" in console
    assert float(page[f"loss in the last epoch ({best + 3})"]) == pytest.approx(
        history["loss"][-1], rel=1e-5
    )
    # the saved model's validation loss is the kept epoch's
    assert history["final"]["validation"]["loss"] == pytest.approx(val[best], rel=1e-9)


def test_loss_plot_starts_at_epoch_0_and_marks_best_and_kept(tmp_path, csv_data, capsys):
    from glassnet.cli.commands import loss_figure
    from glassnet.train.history import History

    extra = ["--epochs", "6", "--val-fraction", "0.3", "--patience", "0"]
    out, _, saved, _ = _train(tmp_path, csv_data, capsys, *extra)
    history = History.from_dict(saved)
    ax = loss_figure(history).axes[0]
    curves = [line for line in ax.lines if len(line.get_xdata()) > 2]
    for line in curves:
        assert list(line.get_xdata()) == list(range(7))
    assert list(curves[0].get_ydata()) == saved["loss"]
    verticals = {line.get_label(): line.get_xdata()[0] for line in ax.lines if line not in curves}
    kept = next(v for k, v in verticals.items() if f"kept epoch ({saved['kept_epoch']})" in k)
    assert kept == 6
    if saved["best_epoch"] != 6:
        assert verticals[f"best epoch ({saved['best_epoch']})"] == saved["best_epoch"]


def test_history_reads_files_written_before_epoch_0_was_recorded():
    from glassnet.train.history import History

    old = {
        "epoch": [1, 2], "loss": [0.6, 0.5], "val_loss": [None, None], "accuracy": [None, None],
        "val_accuracy": [None, None], "learning_rate": [0.1, 0.1], "seconds": [0.0, 0.0],
        "best_epoch": 2, "stop_reason": "completed",
    }
    h = History.from_dict(old)
    assert h.initial is None and h.epochs == 2 and h.kept_epoch == 2
    again = History.from_dict(h.as_dict())
    assert again.records == h.records and again.kept_epoch == 2


def test_report_of_a_saved_model_never_replaces_the_training_report(
    tmp_path, csv_data, capsys, monkeypatch
):
    out, _, _, _ = _train(tmp_path, csv_data, capsys, "--epochs", "3")
    training_report = (out.parent / "report.html").read_text()
    monkeypatch.chdir(out.parent)
    assert main(["report", "--model", "model.npz", "--data", str(csv_data)]) == 0
    assert (out.parent / "report.html").read_text() == training_report
    written = out.parent / "model-predictions-data.html"  # no --target: predictions counted
    assert f"wrote {written.name}" in capsys.readouterr().out and written.is_file()
    argv = ["report", "--model", "model.npz", "--data", str(csv_data), "--target", "label"]
    assert main(argv) == 0
    scored = out.parent / "model-report-data.html"  # its own name: neither replaces the other
    said = capsys.readouterr().out
    assert f"wrote {scored.name}" in said and "replaced" not in said
    assert "Predicted classes" in written.read_text() and "Scores per class" in scored.read_text()
    assert (out.parent / "report.html").read_text() == training_report
    # an explicit --out over the training report is refused (the old positional form too)
    assert main(["report", "model.npz", "--data", str(csv_data), "--out", "report.html"]) == 2
    assert "is a training report" in capsys.readouterr().err
    assert (out.parent / "report.html").read_text() == training_report
    # over an earlier report of a saved model, it names what it replaces
    assert main(["report", "model.npz", "--data", str(csv_data), "--out", written.name]) == 0
    assert f"note: replaced the earlier {written.name}" in capsys.readouterr().out
    # the report of a saved model shows the training record when it is there
    page = summary_rows(written.read_text())
    assert page["epochs"] == "3"


@pytest.mark.parametrize("first", ["report.html", "loss.png", "history.json"])
def test_train_writes_beside_files_another_command_made(tmp_path, csv_data, capsys, first):
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / first).write_text("someone else's")
    argv = ["train", "--data", str(csv_data), "--target", "label", "--epochs", "2"]
    assert main([*argv, "--progress", "off", "--out", str(folder / "m.npz")]) == 0
    console = capsys.readouterr().out
    assert (folder / first).read_text() == "someone else's"
    assert f"holds files another command wrote ({first})" in console
    for name in ("m.history.json", "m.loss.png", "m.report.html"):
        assert (folder / name).is_file()


def test_training_report_draws_the_landscape_on_the_plane_of_the_path(tmp_path, csv_data, capsys):
    out, _, _, _ = _train(tmp_path, csv_data, capsys, "--epochs", "6")
    page = (out.parent / "report.html").read_text()
    assert "Loss landscape on the PCA plane of the path" in page and "Li et" in page


def test_report_shows_per_class_scores_of_the_samples_it_shows(tmp_path, csv_data, capsys):
    import re

    metrics = pytest.importorskip("sklearn.metrics")
    out, _, _, _ = _train(tmp_path, csv_data, capsys, "--epochs", "8")
    page_path = tmp_path / "scores.html"
    argv = ["report", "--model", str(out), "--data", str(csv_data), "--target", "label"]
    assert main([*argv, "--out", str(page_path)]) == 0  # all 90 rows, true labels
    page = page_path.read_text()
    section = page[page.index('<section id="scores">') :]
    section = section[: section.index("</section>")]
    cells = re.findall(
        r"<tr><td[^>]*>(yes|no)</td><td>([\d.]+)</td><td>([\d.]+)</td><td>([\d.]+)</td>"
        r"<td>(\d+)</td>",
        section,
    )
    table = load_table(csv_data, "label")
    predicted = load_model(out).predict(table.X)
    p, r, f, n = metrics.precision_recall_fscore_support(
        table.y, predicted, labels=["no", "yes"], zero_division=0
    )
    assert [c[0] for c in cells] == ["no", "yes"]
    for (_, prec, rec, f1, support), *oracle in zip(cells, p, r, f, n, strict=True):
        assert [float(prec), float(rec), float(f1)] == pytest.approx(oracle[:3], abs=5e-5)
        assert int(support) == oracle[3]


@pytest.mark.parametrize(
    ("extra", "stop_at"),
    [
        (["--patience", "0"], 1),  # before the first epoch ended: epoch 0 is kept
        (["--patience", "0"], 4),  # the last completed epoch is kept
        (["--patience", "30", "--lr", "0.3"], 9),  # the best epoch so far is kept
        (["--val-fraction", "0"], 3),  # every row trains
    ],
)
def test_a_model_saved_by_a_signal_records_its_epoch_and_the_signal(
    tmp_path, csv_data, capsys, monkeypatch, extra, stop_at
):
    """NU_FINAL 11b and 2: the model file of an interrupted run has the run's record, the
    same as history.json's, and "final" is what the saved parameters score."""
    stop_in_epoch(monkeypatch, stop_at)
    out = tmp_path / "run" / "model.npz"
    argv = ["train", "--data", str(csv_data), "--target", "label", "--hidden", "6"]
    assert main([*argv, "--epochs", "50", "--progress", "off", "--out", str(out), *extra]) == 130
    err = capsys.readouterr().err
    history = json.loads((out.parent / "history.json").read_text())
    model = load_model(out)
    run = model.settings["run"]
    done = stop_at - 1  # epoch stop_at never ended
    assert run["epochs"] == history["epoch"][-1] == done and history["epoch"][0] == 0
    assert run["stop_reason"] == history["stop_reason"] == "interrupted"
    assert run["signal"] == history["signal"] == "SIGINT"
    assert run["kept_epoch"] == history["kept_epoch"] and run["best_epoch"] == history["best_epoch"]
    assert run["final"] == history["final"] and run["initial_loss"] == history["loss"][0]
    assert f"(epoch {run['kept_epoch']}) to {out}" in err and "SIGINT" in err
    assert (out.parent / "report.html").is_file() and (out.parent / "loss.png").is_file()
    page = summary_rows((out.parent / "report.html").read_text())
    assert page["ending"] == f"interrupted by SIGINT after {done} epochs"
    table = load_table(csv_data, "label")
    codes = np.searchsorted(model.classes, table.y)
    if "validation" in history["final"]:  # the kept epoch's validation loss, as saved
        val = history["val_loss"][run["kept_epoch"]]
        assert run["final"]["validation"]["loss"] == pytest.approx(val, rel=1e-9)
    else:  # every row is a training row: recomputed from the saved model's probabilities
        recomputed = _loss_of(model, table.X, codes)
        assert run["final"]["train"]["loss"] == pytest.approx(recomputed, rel=1e-9)
    if "30" in extra:  # early stopping on: the best validation epoch so far is kept
        assert run["kept_epoch"] == int(np.argmin(history["val_loss"]))
    if done == 0:
        assert run["final"]["train"]["loss"] == pytest.approx(history["loss"][0], rel=1e-12)
