"""A regression run's record in one unit: the console, history.json, the report (with its
predictions, residuals and RMSE, MAE, R^2), loss.png and the model file all show losses in
the targets' own units, and they agree with the saved model, recomputed independently."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
from _report_rows import summary_rows

pytest.importorskip("sklearn")

from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score  # noqa: E402

from glassnet.cli.main import main  # noqa: E402
from glassnet.cli.workflow import LOSS_UNIT, Recipe, train_model  # noqa: E402
from glassnet.data.preprocessing import LOSS_SPLIT  # noqa: E402
from glassnet.files.modelfile import load_model  # noqa: E402
from glassnet.train.history import History  # noqa: E402
from glassnet.views.report import build_report  # noqa: E402
from glassnet.views.run_report import report_data  # noqa: E402


def _five(value: float) -> str:
    """Five significant digits, as the console prints a loss (no trailing decimal point)."""
    return f"{value:#.5g}".removesuffix(".")


def _data(scale: float, offset: float, columns: int = 1, n: int = 120):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(n, 3))
    y = np.column_stack([np.sin(X[:, 0]) + X[:, 1] * X[:, 2] * (k + 1) for k in range(columns)])
    return X, (y if columns > 1 else y[:, 0]) * scale + offset


def _train(tmp_path, capsys, scale, offset, *extra, columns=1):
    X, y = _data(scale, offset, columns)
    np.savez(tmp_path / "data.npz", X=X, y=y)
    out = tmp_path / f"run{scale:g}" / "model.npz"
    argv = ["train", "--data", str(tmp_path / "data.npz"), "--task", "regression"]
    argv += ["--hidden", "8", "--progress", "off", "--out", str(out), *extra]
    assert main(argv) == 0
    console = capsys.readouterr().out
    history = json.loads((out.parent / "history.json").read_text())
    page = (out.parent / "report.html").read_text()
    return X, y, out, console, history, page


def _split_table(page: str) -> dict[str, list[str]]:
    """``{split: [samples, RMSE, MAE, R^2]}`` of the report's scores section; several
    targets (one row per split and target) give each score's values joined by ", "."""
    section = page[page.index('<section id="scores">') :]
    section = section[: section.index("</section>")]
    rows = re.findall(r"<tr>(.*?)</tr>", section)[1:]
    cells = [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)] for r in rows]
    named = "<th" in section and ">target</th>" in section  # a target column after the split
    table: dict[str, list[list[str]]] = {}
    for c in cells:
        values = c[2:] if named else c[1:]
        table.setdefault(c[0], [[] for _ in values])
        for column, v in zip(table[c[0]], values, strict=True):
            column.append(v)
    return {split: [cols[0][0], *(", ".join(v) for v in cols[1:])] for split, cols in table.items()}


@pytest.mark.parametrize(("scale", "offset"), [(1.0, 0.0), (1e6, 5e6), (1e9, -2e9)])
def test_epoch_0_and_final_are_in_the_same_units(tmp_path, capsys, scale, offset):
    """With no epochs trained the final parameters are the initial ones: the final loss
    (measured from the saved model's predictions) equals epoch 0's, at every scale."""
    X, y, out, console, history, page = _train(
        tmp_path, capsys, scale, offset, "--epochs", "0", "--val-fraction", "0"
    )
    by_hand = 0.5 * np.mean((np.ravel(load_model(out).predict(X)) - y) ** 2)
    assert history["loss"][0] == pytest.approx(by_hand, rel=1e-9)
    assert history["final"]["train"]["loss"] == pytest.approx(by_hand, rel=1e-9)
    assert history["loss_unit"] == LOSS_UNIT
    assert f"loss {_five(history['loss'][0])} (the initial parameters)" in console


@pytest.mark.parametrize("columns", [1, 2])
def test_every_view_of_a_regression_run_is_in_the_targets_units(tmp_path, capsys, columns):
    """Targets of 1e6 give the record of unit targets times 1e12 (the same training), and
    every view agrees with it and with the saved model. Two columns of different spreads
    are standardized each by its own: their training losses are those of the standardized
    targets, the same in any units; their validation and final losses are in units."""
    args = ("--epochs", "6", "--val-fraction", "0.25", "--patience", "0")
    _, _, _, _, unit, _ = _train(tmp_path, capsys, 1.0, 0.0, *args, columns=columns)
    X, y, out, console, history, page = _train(tmp_path, capsys, 1e6, 3e6, *args,
                                               columns=columns)  # fmt: skip
    factor = 1e12 if columns == 1 else 1.0
    np.testing.assert_allclose(history["loss"], np.multiply(unit["loss"], factor), rtol=1e-6)
    np.testing.assert_allclose(history["val_loss"], np.multiply(unit["val_loss"], 1e12),
                               rtol=1e-6)  # fmt: skip
    kept = history["kept_epoch"]
    assert history["final"]["validation"]["loss"] == pytest.approx(
        history["val_loss"][kept], rel=1e-9
    )  # the curve and "final" measure the same thing
    model = load_model(out)
    run = model.settings["run"]
    assert run["initial_loss"] == history["loss"][0] and run["final"] == history["final"]
    summary = summary_rows(page)
    assert summary["losses"] == (LOSS_UNIT if columns == 1 else LOSS_SPLIT)
    # two units in one run: each loss row names its own (NU11 #7)
    trained, scored = (
        ("", "")
        if columns == 1
        else ("; training loss of the standardized targets", "; in target units²")
    )
    assert float(summary[f"initial loss (epoch 0, before training{trained})"]) == pytest.approx(
        history["loss"][0], rel=1e-5
    )
    final_train = history["final"]["train"]["loss"]
    assert float(summary[f"final loss (the kept parameters, training rows{scored})"]) == (
        pytest.approx(final_train, rel=1e-5)
    )
    table = _split_table(page)
    assert set(table) == {"train", "validation"}
    for split in table:
        n, rmse = int(table[split][0]), [float(v) for v in table[split][1].split(", ")]
        loss = history["final"][split]["loss"]  # 0.5 * mean over rows and columns
        assert 0.5 * np.mean(np.square(rmse)) == pytest.approx(loss, rel=1e-5)  # in units
        assert n == round(len(y) * (0.25 if split == "validation" else 0.75))
    zero = f"loss {_five(history['loss'][0])}"
    if columns > 1:  # the training loss standardized, the validation loss in units
        zero += f" (standardized), validation {_five(history['val_loss'][0])}"
    assert f"{zero} (the initial parameters)" in console
    assert "for every column" not in console  # each column its own scale
    assert ("averaged over the standardized columns" in console) == (columns > 1)


@pytest.mark.parametrize("columns", [1, 2])
def test_the_report_scores_match_the_saved_model(tmp_path, columns):
    """RMSE, MAE and R^2 of every split in the report equal scikit-learn's metrics of the
    saved model's predictions on that split's rows."""
    X, y = _data(1e5, 2e5, columns)
    recipe = Recipe(hidden=(8,), epochs=5, val_size=0.2, test_size=0.2, task="regression")
    outcome = train_model(X, y, recipe, observe=True)
    path = tmp_path / "m.npz"
    from glassnet.files.modelfile import save_model

    save_model(outcome.model, path)
    saved = load_model(path)
    data = report_data("t", outcome.model, X, outcome.codes, outcome.rows["train"],
                       outcome.result.history, outcome.observer, splits=outcome.rows)  # fmt: skip
    page, images = build_report(data)
    assert {"predicted_vs_actual_0.png", "residuals_0.png", "loss.png"} <= set(images)
    assert "diagnostics.png" in images  # per-layer diagnostics were recorded
    table = _split_table(page)
    assert list(table) == ["train", "validation", "test"]
    for split, rows in outcome.rows.items():
        pred, true = saved.predict(X[rows]), y[rows]
        cols = [slice(None)] if columns == 1 else [(slice(None), k) for k in range(columns)]
        rmse = [np.sqrt(mean_squared_error(true[c], pred[c])) for c in cols]
        mae = [mean_absolute_error(true[c], pred[c]) for c in cols]
        r2 = [r2_score(true[c], pred[c]) for c in cols]
        got = [[float(v) for v in cell.split(", ")] for cell in table[split][1:]]
        np.testing.assert_allclose(got[0], rmse, rtol=1e-5)
        np.testing.assert_allclose(got[1], mae, rtol=1e-5)
        np.testing.assert_allclose(got[2], r2, atol=1e-6)
    assert outcome.result.history.loss_unit == (LOSS_UNIT if columns == 1 else LOSS_SPLIT)


def test_history_keeps_its_unit_through_its_file():
    h = History().in_units(4.0, "some unit")
    back = History.from_dict(h.as_dict())
    assert back.loss_unit == "some unit"
    assert History.from_dict(History().as_dict()).loss_unit == ""  # classifiers: none


def test_glassnet_report_of_a_regressor_scores_the_data_given(tmp_path, capsys):
    X, y, out, _, history, _ = _train(tmp_path, capsys, 1e5, 1e6, "--epochs", "3")
    np.savez(tmp_path / "new.npz", X=X[:50] + 0.1, y=y[:50])
    assert main(["report", "--model", str(out), "--data", str(tmp_path / "new.npz"),
                 "--target", "y"]) == 0  # fmt: skip
    page = (out.parent / "model-report-new.html").read_text()
    (n, rmse, mae, r2) = _split_table(page)["new.npz"]
    pred = np.ravel(load_model(out).predict(X[:50] + 0.1))
    assert int(n) == 50
    assert float(rmse) == pytest.approx(np.sqrt(mean_squared_error(y[:50], pred)), rel=1e-5)
    assert float(mae) == pytest.approx(mean_absolute_error(y[:50], pred), rel=1e-5)
    assert float(r2) == pytest.approx(r2_score(y[:50], pred), abs=1e-6)
    assert summary_rows(page)["losses"] == LOSS_UNIT  # the training record, from history.json
    capsys.readouterr()
    np.savez(tmp_path / "bare.npz", X=X[:50])  # no y: the .npz default target is absent
    assert main(["report", "--model", str(out), "--data", str(tmp_path / "bare.npz")]) == 2
    assert "needs --target" in capsys.readouterr().err  # a missing argument: exit 2
    (out.parent / "model-report-new.html").unlink()
    assert main(["report", "--model", str(out), "--data", str(tmp_path / "new.npz")]) == 0
    again = _split_table((out.parent / "model-report-new.html").read_text())["new.npz"]
    assert list(again) == [n, rmse, mae, r2]  # an .npz's y is the default target, as in train


def test_a_diverged_regression_run_says_which_units_its_message_uses(tmp_path, capsys):
    X, y = _data(1e6, 0.0)
    np.savez(tmp_path / "data.npz", X=X, y=y)
    argv = ["train", "--data", str(tmp_path / "data.npz"), "--task", "regression", "--epochs",
            "5", "--optimizer", "sgd", "--lr", "50", "--progress", "off", "--out",
            str(tmp_path / "m.npz")]  # fmt: skip
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "training diverged" in err and "losses of the standardized targets" in err


def test_the_epoch_lines_show_the_records_numbers(tmp_path, capsys):
    """``--progress lines`` prints each epoch's losses as the record holds them."""
    X, y = _data(1e6, 4e6)
    np.savez(tmp_path / "data.npz", X=X, y=y)
    out = tmp_path / "m.npz"
    argv = ["train", "--data", str(tmp_path / "data.npz"), "--task", "regression", "--epochs",
            "4", "--hidden", "8", "--progress", "lines", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    console = "".join(capsys.readouterr())  # the progress lines go to stderr
    number = r"([\d.]+(?:e[+-]\d+)?)"  # five significant digits (train.progress.loss_text)
    lines = re.findall(rf"epoch (\d+)/4\s+loss {number}\s+val_loss {number}", console)
    history = json.loads((tmp_path / "history.json").read_text())
    assert [int(e) for e, _, _ in lines] == [1, 2, 3, 4]
    for epoch, loss, val in lines:
        assert float(loss) == pytest.approx(history["loss"][int(epoch)], rel=5e-5)
        assert float(val) == pytest.approx(history["val_loss"][int(epoch)], rel=5e-5)
    assert history["loss"][1] > 1e9  # in the targets' units (targets of 1e6), not standardized
