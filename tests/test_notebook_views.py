"""Rich display: the core's HTML tables (Network, GradientReport, Model, History) and
glassnet.views.notebook (curves inline, the live view, the progress bar)."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
import pytest

import glassnet as gn
from glassnet.core.gradcheck import check_gradients
from glassnet.files.modelfile import Model
from glassnet.train.history import EpochRecord, History


class _Table(HTMLParser):
    """The cells of each row, and which rows are marked failed."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.failed: list[bool] = []
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
            self.failed.append(dict(attrs).get("class") == "glassnet-fail")
        self._in_cell = tag in ("td", "th")
        if self._in_cell:
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        self._in_cell = False if tag in ("td", "th") else self._in_cell

    def handle_data(self, data):
        if self._in_cell:
            self.rows[-1][-1] += data


def _table(html: str) -> _Table:
    table = _Table()
    table.feed(html)
    return table


@pytest.mark.parametrize(("sizes", "activation"), [([2, 3, 2], "logistic"),
                                                   ([5, 7, 4, 1], "relu"), ([3, 2], "tanh")])
def test_network_table_counts_every_parameter(sizes, activation, rng):
    net = gn.Network.mlp(sizes, activation, "logistic" if sizes[-1] == 1 else "softmax")
    params = net.init(rng)
    table = _table(net._repr_html_())
    body = table.rows[1:]
    assert len(body) == len(params)
    for row, p in zip(body, params, strict=True):  # the oracle: the arrays init makes
        assert row[3] == str(p["W"].shape) and row[4] == str(p["b"].shape)
        assert int(row[5]) == p["W"].size + p["b"].size
    total = sum(p["W"].size + p["b"].size for p in params)
    assert f"{total} parameters" in net._repr_html_()
    assert [row[2] for row in body[:-1]] == [activation] * (len(sizes) - 2)


def test_gradient_check_table_marks_the_failing_parameter(rng):
    net = gn.Network.mlp([2, 3, 2])
    params = net.init(rng)
    X, T = rng.normal(size=(6, 2)), gn.one_hot(rng.integers(0, 2, size=6), 2)
    _, grads = net.loss_and_grad(params, X, T)
    grads[1]["b"] = grads[1]["b"] + 0.1  # a wrong output-bias gradient
    report = check_gradients(lambda p: net.loss(p, X, T), params, grads)
    html = report._repr_html_()
    table = _table(html)
    marked = [row[:2] for row, bad in zip(table.rows, table.failed, strict=True) if bad]
    assert marked == [["1", "b"]]
    assert "Gradient check FAILED" in html and "\u2717 NO" in html
    _, good = net.loss_and_grad(params, X, T)
    passed = check_gradients(lambda p: net.loss(p, X, T), params, good)._repr_html_()
    assert "Gradient check passed" in passed and not any(_table(passed).failed)


def test_model_and_history_tables_escape_and_summarize(rng):
    net = gn.Network.mlp([2, 4, 3], "tanh")
    model = Model(net, net.init(rng), classes=np.array(["<b>", "b", "c"]),
                  feature_names=("x<1>", "y"))  # fmt: skip
    html = model._repr_html_()
    assert "classifier of 3 classes" in html and "&lt;b&gt;" in html and "<b>" not in html
    records = [EpochRecord(e, 1.0 / e, None, 0.5, None, 0.01, 0.1) for e in range(1, 21)]
    history = History(records, best_epoch=20)
    table = _table(history._repr_html_())
    assert table.rows[0] == ["epoch", "loss", "accuracy", "learning_rate"]  # no empty columns
    assert [r[0] for r in table.rows[1:]] == ["1", "2", "3", "4", "5", "...",
                                              "16", "17", "18", "19", "20"]  # fmt: skip
    assert table.rows[-1][1] == "0.05"


def test_import_and_core_reprs_load_neither_matplotlib_nor_ipython():
    code = (
        "import sys, numpy as np, glassnet as gn\n"
        "from glassnet.train.history import History\n"
        "net = gn.Network.mlp([2, 3, 2]); p = net.init(np.random.default_rng(0))\n"
        "X = np.ones((4, 2)); T = gn.one_hot(np.array([0, 1, 0, 1]))\n"
        "html = net._repr_html_() + gn.check_network(net, p, X, T)._repr_html_()\n"
        "html += History()._repr_html_()\n"
        "loaded = ('matplotlib', 'IPython', 'sklearn', 'glassnet.views')\n"
        "print([m for m in loaded if m in sys.modules])\n"
    )  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


pytest.importorskip("matplotlib")
IPython = pytest.importorskip("IPython")
from _images import assert_drawn, png_pixels  # noqa: E402

from glassnet.views import notebook  # noqa: E402


def _records(n, validation=True):
    return [EpochRecord(e, 1.0 / e, 1.2 / e if validation else None, 1 - 0.5 / e,
                        1 - 0.6 / e if validation else None, 0.01, 0.1)
            for e in range(1, n + 1)]  # fmt: skip


def test_history_html_draws_the_curves():
    html = notebook.history_html(History(_records(12), best_epoch=12))
    data = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    import base64

    img = png_pixels(base64.b64decode(data))
    assert_drawn(img, (320, 900))  # loss and accuracy side by side
    assert "Training history: 12 epochs" in html


def test_plot_history_without_accuracy_has_one_panel():
    records = [EpochRecord(e, 1.0 / e, None, None, None, 0.01, 0.1) for e in range(1, 6)]
    fig = notebook.plot_history(records)
    assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 1


def test_enable_registers_the_history_formatter():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        assert notebook.enable(shell)
        data, _ = shell.display_formatter.format(History(_records(3)))
        assert data["text/html"].startswith('<img alt="training curves"')
    finally:
        InteractiveShell.clear_instance()
    assert notebook.enable(None) is False  # no IPython session here


def test_live_curves_redraw_one_output_every_k_epochs(monkeypatch):
    shown = []

    class Handle:
        def update(self, image):
            shown.append(("update", image))

    def display(image, display_id=False):
        assert display_id is True
        shown.append(("display", image))
        return Handle()

    monkeypatch.setattr("IPython.display.display", display)
    live = notebook.LiveCurves(every=3)
    net = gn.Network.mlp([2, 4, 2], "tanh", reduction="mean")
    X, t = gn.make_circles(np.random.default_rng(0), n_samples=60)
    gn.fit(net, net.init(np.random.default_rng(1)), X, t, gn.TrainConfig(epochs=10),
           callbacks=[live])  # fmt: skip
    assert [kind for kind, _ in shown] == ["display", "update", "update"]  # epochs 3, 6, 9
    assert live.frames == 3 and len(live.records) == 10
    assert_drawn(png_pixels(shown[-1][1].data))
    with pytest.raises(ValueError, match="every"):
        notebook.LiveCurves(every=0)


def test_progress_bar_counts_epochs_and_shows_the_loss(monkeypatch):
    pytest.importorskip("tqdm")
    bars = []

    class Bar:
        def __init__(self, total, desc, unit):
            self.total, self.n, self.postfix, self.closed = total, 0, "", False
            bars.append(self)

        def update(self, k):
            self.n += k

        def set_postfix_str(self, text, refresh):
            self.postfix = text

        def close(self):
            self.closed = True

    monkeypatch.setattr("tqdm.notebook.tqdm", Bar)
    tick, close = notebook.progress_bar(4)
    for record in _records(3):
        tick(record)
    close()
    (bar,) = bars
    assert (bar.total, bar.n, bar.closed) == (4, 3, True)
    assert bar.postfix.startswith("loss 0.33333")
