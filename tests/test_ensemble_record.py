"""An ensemble's record follows a single run's rules: epoch 0 is the initialization, each
member's best and kept epoch are marked, "final" is what was saved, the stop reasons use one
vocabulary; every number its report and history.json show is checked against the record, the
saved model (recomputed from its probabilities) and member 0's own single run."""

import html
import json
import re

import numpy as np
import pytest
from _csv_tables import write_labelled_csv
from _report_rows import summary_rows

from glassnet.cli.main import main
from glassnet.data.tables import load_table
from glassnet.files.modelfile import load_model


@pytest.fixture(scope="module")
def csv_data(tmp_path_factory):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(120, 3))
    label = np.where(X[:, 0] - X[:, 2] + 0.3 * rng.normal(size=120) > 0.2, "yes", "no")
    return write_labelled_csv(tmp_path_factory.mktemp("data") / "data.csv", X, label)


def _run(folder, csv_data, capsys, *extra):
    out = folder / "model.npz"
    argv = ["train", "--data", str(csv_data), "--target", "label", "--hidden", "5", "--lr",
            "0.05", "--progress", "off", "--out", str(out), *extra]  # fmt: skip
    assert main(argv) == 0
    console = capsys.readouterr().out
    history = json.loads((folder / "history.json").read_text())
    return out, console, history, (folder / "report.html").read_text()


def _table(page, anchor):
    """The first table of section ``anchor`` as its header and rows of cell texts."""
    section = page[page.index(f'<section id="{anchor}">') :]
    section = section[: section.index("</section>")]
    table = section[section.index("<table>") :]
    table = table[: table.index("</table>")]
    header = [html.unescape(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", table)]
    rows = [
        [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])
    ]
    return header, rows


def _cross_entropy(P, codes):
    return -np.log(P[np.arange(len(codes)), codes])  # (N,)


VARIANTS = [
    ["--epochs", "40", "--patience", "3"],  # early stopping: kept = best
    ["--epochs", "6", "--patience", "0"],  # every epoch, the last kept
    ["--epochs", "8", "--patience", "30", "--test-fraction", "0.2"],  # completed; a test split
]


@pytest.mark.parametrize("extra", VARIANTS)
def test_every_number_of_the_ensemble_record_report_and_model_agrees(
    tmp_path, csv_data, capsys, extra
):
    out, console, history, page = _run(tmp_path / "e", csv_data, capsys, "--ensemble", "3",
                                       *extra)  # fmt: skip
    K = 3
    epochs = history["epoch"]
    assert epochs[0] == 0 and epochs == list(range(len(epochs)))  # epoch 0: initialization
    val = np.array(history["val_loss"], dtype=float)  # (E + 1, K), NaN after a stop
    loss = np.array(history["loss"], dtype=float)
    kept, best = history["kept_epoch"], history["best_epoch"]
    assert best == [int(np.nanargmin(val[:, k])) for k in range(K)]  # read independently
    assert set(history["stop_reason"]) <= {"completed", "early stopping", "diverged"}
    if "0" in extra[extra.index("--patience") + 1 :][:1]:
        assert history["stop_reason"] == ["completed"] * K and kept == [6] * K
    else:
        assert kept == best
    # "final": the saved model's scores, recomputed from its probabilities on every row
    model = load_model(out)
    table = load_table(csv_data, "label")
    codes = np.searchsorted(model.classes, table.y)
    final = history["final"]
    n = {split: int(summary_rows(page)[f"{split} samples"]) for split in final}
    assert sum(n.values()) == len(codes)
    P = model.predict_proba(table.X)
    whole = np.sum(_cross_entropy(P, codes))
    assert sum(n[s] * final[s]["loss"] for s in final) == pytest.approx(whole, rel=1e-9)
    right = np.sum(np.argmax(P, axis=1) == codes)
    assert sum(n[s] * final[s]["accuracy"] for s in final) == pytest.approx(right, rel=1e-9)
    for k in range(K):
        Pk = model.member(k).predict_proba(table.X)
        member = sum(n[s] * final[s]["member_loss"][k] for s in final)
        assert member == pytest.approx(np.sum(_cross_entropy(Pk, codes)), rel=1e-9)
        # the kept epoch's validation loss is the saved member's
        assert final["validation"]["member_loss"][k] == pytest.approx(val[kept[k], k], rel=1e-9)
    # the report's summary says what the record says
    rows = summary_rows(page)
    assert rows["kept epoch of each member (the parameters saved)"] == ", ".join(map(str, kept))
    assert rows["best epoch of each member (lowest validation loss)"] == ", ".join(map(str, best))
    assert rows["epochs (the longest member's)"] == str(epochs[-1])
    for split, score in final.items():
        shown = float(rows[f"final {split} loss (the saved ensemble)"])
        assert shown == pytest.approx(score["loss"], rel=1e-5)
        assert rows[f"final {split} accuracy (the saved ensemble)"] == f"{score['accuracy']:.2%}"
    assert f"kept epochs (the parameters saved): {', '.join(map(str, kept))}" in console
    # the members' table: one row per member, every number from the record
    header, members = _table(page, "members")
    assert len(members) == K
    for k, row in enumerate(members):
        cell = dict(zip(header, row, strict=True))
        assert int(cell["best epoch"]) == best[k] and int(cell["kept epoch"]) == kept[k]
        assert float(cell["initial loss (epoch 0)"]) == pytest.approx(loss[0, k], rel=1e-4)
        assert float(cell["validation loss (kept epoch)"]) == pytest.approx(val[kept[k], k],
                                                                            rel=1e-4)  # fmt: skip
        assert int(cell["epochs"]) == int(np.isfinite(loss[1:, k]).sum())
        for split in final:
            assert float(cell[f"final {split} loss"]) == pytest.approx(
                final[split]["member_loss"][k], rel=1e-4
            )
        assert cell["ending"] == history["stop_reason"][k]
    # the same sections as a single run's report, where they apply
    for anchor in ("summary", "scores", "architecture", "data", "training", "spread"):
        assert f'<section id="{anchor}">' in page


@pytest.mark.parametrize("extra", VARIANTS[:2])
def test_member_0_is_the_single_run_of_its_seed_in_every_view(tmp_path, csv_data, capsys, extra):
    _, _, ensemble, _ = _run(tmp_path / "e", csv_data, capsys, "--ensemble", "2", *extra)
    _, _, single, _ = _run(tmp_path / "s", csv_data, capsys, *extra)
    assert ensemble["epoch"][: len(single["epoch"])] == single["epoch"]
    first = [row[0] for row in ensemble["val_loss"][: len(single["epoch"])]]
    np.testing.assert_allclose(first, single["val_loss"], rtol=1e-9)
    np.testing.assert_allclose([row[0] for row in ensemble["loss"]][: len(single["loss"])],
                               single["loss"], rtol=1e-9)  # fmt: skip
    assert ensemble["kept_epoch"][0] == single["kept_epoch"]
    assert ensemble["best_epoch"][0] == single["best_epoch"]
    assert ensemble["stop_reason"][0] == single["stop_reason"]  # one vocabulary
    for split, score in single["final"].items():
        assert ensemble["final"][split]["member_loss"][0] == pytest.approx(score["loss"], rel=1e-9)
        assert ensemble["final"][split]["member_accuracy"][0] == score["accuracy"]


def test_the_loss_plot_starts_at_epoch_0_and_marks_each_members_kept_epoch():
    from glassnet.views.population import plot_ensemble_loss

    rng = np.random.default_rng(0)
    curves = np.exp(-np.cumsum(rng.uniform(0, 0.3, size=(9, 3)), axis=0))  # (E + 1, K)
    val = curves + rng.uniform(0, 0.1, size=curves.shape)
    val[7:, 2] = np.nan  # member 2 stopped after epoch 6
    kept, best = np.array([8, 3, 4]), np.array([8, 2, 4])
    fig = plot_ensemble_loss(curves, val, "t", first_epoch=0, kept=kept, best=best)
    for ax, c in zip(fig.axes, (curves, val), strict=True):
        members = [ln for ln in ax.lines if ln.get_color() == "tab:blue"]
        assert all(list(ln.get_xdata()) == list(range(9)) for ln in members)
        dots = next(ln for ln in ax.lines if ln.get_label() == "each member's kept epoch")
        assert list(dots.get_xdata()) == list(kept)
        np.testing.assert_array_equal(dots.get_ydata(), c[kept, [0, 1, 2]])
        cross = next(ln for ln in ax.lines if ln.get_marker() == "x")
        assert list(cross.get_xdata()) == [2] and cross.get_ydata()[0] == c[2, 1]


@pytest.mark.parametrize("target", [True, False])
def test_report_of_a_saved_ensemble_has_the_sections_that_apply(tmp_path, csv_data, capsys, target):
    """``glassnet report`` of an ensemble: scores per class against scikit-learn's report
    of the ensemble's own predictions (or the predicted counts), the spread's ensemble loss
    and accuracy recomputed from the saved model's probabilities."""
    metrics = pytest.importorskip("sklearn.metrics")
    out, _, _, _ = _run(tmp_path / "e", csv_data, capsys, "--ensemble", "3", "--epochs", "5")
    argv = ["report", "--model", str(out), "--data", str(csv_data)]
    assert main(argv + (["--target", "label"] if target else [])) == 0
    kind = "report" if target else "predictions"
    page = (out.parent / f"model-{kind}-data.html").read_text()
    model = load_model(out)
    table = load_table(csv_data, "label")
    codes = np.searchsorted(model.classes, table.y)
    P = model.predict_proba(table.X)
    predicted = np.argmax(P, axis=1)
    for anchor in ("summary", "scores", "architecture", "data", "spread"):
        assert f'<section id="{anchor}">' in page
    header, rows = _table(page, "scores")
    if not target:
        counts = {r[0]: int(r[1]) for r in rows}
        assert counts == {c: int(np.sum(predicted == k)) for k, c in enumerate(model.classes)}
        assert "member agreement with the ensemble" in page
        return
    want = metrics.classification_report(codes, predicted, output_dict=True,
                                         target_names=list(model.classes))  # fmt: skip
    for row in rows:
        w = want[row[0]]
        np.testing.assert_allclose([float(v) for v in row[1:]],
                                   [w["precision"], w["recall"], w["f1-score"], w["support"]],
                                   atol=5e-5)  # fmt: skip
    header, rows = _table(page, "spread")
    cell = dict(zip(header, rows[0], strict=False))
    if cell["ensemble loss"] != "-":  # the streamed report counts no ensemble loss (yet)
        want_loss = np.mean(_cross_entropy(P, codes))
        assert float(cell["ensemble loss"]) == pytest.approx(want_loss, rel=1e-4)
    assert float(cell["ensemble accuracy"]) == pytest.approx(np.mean(predicted == codes), abs=1e-4)


@pytest.mark.parametrize("epochs", ["3", "7"])
def test_an_ensemble_trains_on_all_rows_as_a_single_run_does(tmp_path, csv_data, capsys, epochs):
    extra = ["--epochs", epochs, "--val-fraction", "0"]
    out, console, history, page = _run(tmp_path / "e", csv_data, capsys, "--ensemble", "2",
                                       *extra)  # fmt: skip
    _, _, single, _ = _run(tmp_path / "s", csv_data, capsys, *extra)
    E = int(epochs)
    assert "no validation set (--val-fraction 0)" in console
    assert history["kept_epoch"] == [E, E] and history["stop_reason"] == ["completed"] * 2
    assert "val_loss" not in history and list(history["final"]) == ["train"]
    # every row is a training row: the final scores are the saved model's on all of them
    model = load_model(out)
    table = load_table(csv_data, "label")
    codes = np.searchsorted(model.classes, table.y)
    P = model.predict_proba(table.X)
    final = history["final"]["train"]
    assert final["loss"] == pytest.approx(np.mean(_cross_entropy(P, codes)), rel=1e-9)
    for k in range(2):
        Pk = model.member(k).predict_proba(table.X)
        assert final["member_loss"][k] == pytest.approx(np.mean(_cross_entropy(Pk, codes)),
                                                        rel=1e-9)  # fmt: skip
    # member 0 is the single run of its seed
    assert final["member_loss"][0] == pytest.approx(single["final"]["train"]["loss"], rel=1e-9)
    np.testing.assert_allclose([r[0] for r in history["loss"]], single["loss"], rtol=1e-9)
    header, rows = _table(page, "members")
    assert "validation loss (kept epoch)" not in header and len(rows) == 2
    assert summary_rows(page)["best epoch of each member (lowest training loss)"]


@pytest.mark.parametrize("extra", [["--epochs", "6"], ["--epochs", "4", "--test-fraction", "0.25"]])
def test_an_ensemble_regressor_reports_each_split_as_a_single_run_does(tmp_path, capsys, extra):
    rng = np.random.default_rng(9)
    X = rng.normal(size=(100, 2))
    y = 3e3 * X[:, 0] - 2e3 * X[:, 1] + 5e4 + 1e2 * rng.normal(size=100)
    data = tmp_path / "prices.csv"
    lines = [f"{a},{b},{t}" for (a, b), t in zip(X, y, strict=True)]
    data.write_text("a,b,price\n" + "\n".join(lines))
    out = tmp_path / "e" / "model.npz"
    argv = ["train", "--data", str(data), "--target", "price", "--ensemble", "2", "--hidden",
            "4", "--progress", "off", "--out", str(out), *extra]  # fmt: skip
    assert main(argv) == 0
    history = json.loads((out.parent / "history.json").read_text())
    page = (out.parent / "report.html").read_text()
    header, rows = _table(page, "scores")
    scores = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    assert set(scores) == set(history["final"])
    model = load_model(out)
    residual = model.predict(X).ravel() - y  # in the targets' units
    total = 0.0
    for split, cell in scores.items():
        rmse, n = float(cell["RMSE"]), int(cell["samples"])
        # the record's final loss is half the squared error per sample, in the same units
        assert rmse == pytest.approx(np.sqrt(2 * history["final"][split]["loss"]), rel=1e-5)
        total += n * rmse**2
    assert total == pytest.approx(np.sum(residual**2), rel=1e-5)
    assert '<section id="predictions">' in page


@pytest.mark.parametrize("lr", ["50", "200"])
def test_an_ensemble_whose_members_all_diverge_says_so_as_a_single_run(
    tmp_path, csv_data, capsys, lr
):
    argv = ["train", "--data", str(csv_data), "--target", "label", "--optimizer", "sgd",
            "--lr", lr, "--epochs", "5", "--progress", "off"]  # fmt: skip
    single = main([*argv, "--out", str(tmp_path / "s" / "m.npz")])
    assert single == 1 and "diverged" in capsys.readouterr().err
    assert main([*argv, "--ensemble", "2", "--out", str(tmp_path / "e" / "m.npz")]) == 1
    said = capsys.readouterr()
    assert "every member diverged" in said.err and "members: 2 diverged" in said.out
    history = json.loads((tmp_path / "e" / "history.json").read_text())
    assert history["stop_reason"] == ["diverged", "diverged"]
    val = np.array(history["val_loss"], dtype=float)  # None (NaN) once a member diverged
    assert history["best_epoch"] == [int(np.nanargmin(val[:, k])) for k in range(2)]
    for k in range(2):  # kept: an epoch before the divergence (0: it diverged in epoch 1)
        assert history["kept_epoch"][k] <= int(np.isfinite(val[1:, k]).sum())


@pytest.mark.parametrize("extra", VARIANTS)
def test_the_model_file_keeps_the_ensembles_record(tmp_path, csv_data, capsys, extra):
    """NU_FINAL 11a: ``settings["run"]`` of an ensemble's model is history.json's record:
    each member's epochs, kept and best epoch, ending, epoch-0 loss and own final scores,
    and the saved ensemble's final scores (recomputed here from its probabilities)."""
    out, _, history, page = _run(tmp_path / "e", csv_data, capsys, "--ensemble", "3", *extra)
    model = load_model(out)
    run = model.settings["run"]
    assert run["epochs"] == history["epoch"][-1] and len(run["members"]) == 3
    val = np.array(history["val_loss"], dtype=float)
    for k, member in enumerate(run["members"]):
        assert member["seed"] == history["seeds"][k] == k  # --seed 0: seeds 0, 1, 2
        assert member["kept_epoch"] == history["kept_epoch"][k]
        assert member["best_epoch"] == history["best_epoch"][k] == int(np.nanargmin(val[:, k]))
        assert member["stop_reason"] == history["stop_reason"][k]
        assert member["initial_loss"] == history["loss"][0][k]
        assert member["epochs"] == int(np.flatnonzero(np.isfinite(val[:, k]))[-1])
        own = member["final"]["validation"]["loss"]
        assert own == pytest.approx(val[member["kept_epoch"], k], rel=1e-9)  # as saved
    final = run["final"]
    assert final == {s: {"loss": v["loss"], "accuracy": v["accuracy"]}
                     for s, v in history["final"].items()}  # fmt: skip
    # the ensemble's final losses, recomputed from the saved model's probabilities
    table = load_table(csv_data, "label")
    codes = np.searchsorted(model.classes, table.y)
    n = {split: int(summary_rows(page)[f"{split} samples"]) for split in final}
    whole = np.sum(_cross_entropy(model.predict_proba(table.X), codes))
    assert sum(n[s] * final[s]["loss"] for s in final) == pytest.approx(whole, rel=1e-9)


def test_the_reports_advice_reproduces_a_member(tmp_path, csv_data, capsys):
    """'Train a member alone': the report's advised options (the same --seed, --init-seed
    the member's seed from the seeds row) give that member's parameters exactly; --seed
    alone (a different split) does not."""
    out, _, _, page = _run(tmp_path / "e", csv_data, capsys, "--ensemble", "3", "--seed", "4",
                           "--epochs", "6")  # fmt: skip
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "--init-seed the member's seed" in text and "the same --seed" in text
    seeds = [int(s) for s in _summary_seeds(text)]
    assert seeds == [4, 5, 6]
    ensemble = load_model(out)
    k = 2
    alone, _, _, _ = _run(tmp_path / "a", csv_data, capsys, "--seed", "4", "--init-seed",
                          str(seeds[k]), "--epochs", "6")  # fmt: skip
    for layer, single in zip(ensemble.params, load_model(alone).params, strict=True):
        np.testing.assert_allclose(layer["W"][k], single["W"], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(layer["b"][k], single["b"], rtol=1e-9, atol=1e-12)
    other, _, _, _ = _run(tmp_path / "o", csv_data, capsys, "--seed", str(seeds[k]),
                          "--epochs", "6")  # fmt: skip
    gap = np.abs(ensemble.params[0]["W"][k] - load_model(other).params[0]["W"]).max()
    assert gap > 1e-3  # --seed alone moves the split: another network


def _summary_seeds(text):
    found = re.search(r"seeds\s+(\d+(?:,\s*\d+)*)", text)
    assert found, "the summary has no seeds row"
    return re.split(r",\s*", found.group(1))
