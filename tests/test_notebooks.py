"""docs/notebooks/tutorial.ipynb runs top to bottom in a fresh IPython kernel (nbclient,
ipykernel), and its outputs are what they should be: the tutorial's numbers as glassnet
computes them, the network and gradient-check tables, inline figures, the live curves, the
progress bar and the rich displays of a history, a model and an estimator."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("sklearn")
pytest.importorskip("tqdm")

NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "notebooks" / "tutorial.ipynb"


@pytest.fixture(scope="module")
def cells(tmp_path_factory):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "commit the notebook without outputs")  # fmt: skip
    folder = tmp_path_factory.mktemp("nb")
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(folder)}})  # fmt: skip
    client.execute()  # raises CellExecutionError on any error
    return [c for c in nb.cells if c.cell_type == "code"]


def _outputs(cell, kind):
    found = []
    for out in cell.outputs:
        if out.output_type == "stream":
            found += [out.text] if kind == "stream" else []
        elif kind in out.get("data", {}):
            found.append(out["data"][kind])
    return found


def _cell(cells, code, exact=False):
    return next(c for c in cells if (c.source.strip() == code if exact else code in c.source))


def test_tutorial_numbers(cells):
    from glassnet.train.tutorial import run_tutorial

    run = run_tutorial()
    text = "".join(_outputs(_cell(cells, "run = run_tutorial(config)"), "stream"))
    assert run.summary() in text
    assert "final loss 0.3808" in text and "from iteration 178" in text


def test_network_and_gradient_check_tables(cells):
    network = _outputs(_cell(cells, "net", exact=True), "text/html")
    assert len(network) == 1 and "Network 2-3-2: 17 parameters" in network[0]
    assert "(2, 3)" in network[0] and "(1, 2)" in network[0]
    check = _outputs(_cell(cells, "gn.check_network"), "text/html")
    assert len(check) == 1 and "Gradient check passed" in check[0]
    assert "glassnet-fail" not in check[0].split("</style>")[1]


def test_figures_inline(cells):
    for code in ["plot_dataset", "plot_loss", "plot_decision_boundary", "plot_hidden_projection"]:
        assert _outputs(_cell(cells, code), "image/png"), code


def test_live_view_and_progress_bar(cells):
    cell = _cell(cells, "LiveCurves(every=5)")
    assert len(_outputs(cell, "image/png")) == 1  # one output area, redrawn in place
    assert _outputs(cell, "application/vnd.jupyter.widget-view+json")  # tqdm.notebook
    assert "8 pictures drawn" in "".join(_outputs(cell, "stream"))  # 40 epochs, every 5


def test_history_model_and_estimator_displays(cells):
    history = _outputs(_cell(cells, "result.history", exact=True), "text/html")
    assert '<img alt="training curves" src="data:image/png;base64,' in history[0]
    model = _outputs(_cell(cells, "gn.load(path)"), "text/html")
    shown = html.unescape(model[0])  # the model's summary names its classes quoted
    names = "classes: 'red stars (t=0)', 'blue circles (t=1)'"  # the tutorial's (NU10 #4)
    assert "classifier of 2 classes" in shown and names in shown
    estimator = _outputs(_cell(cells, "gn.MLPClassifier"), "text/html")
    assert "MLPClassifier" in estimator[0]
