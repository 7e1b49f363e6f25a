"""glassnet in Jupyter: training curves inline, a live view while training, a progress bar.

The core's objects display themselves as plain HTML tables (``Network``, ``Model``,
``GradientReport``, ``History``: ``_repr_html_``, no figures). This module adds what needs
matplotlib, without the core importing it:

* :func:`enable` (or ``%load_ext glassnet.views.notebook``) makes IPython show a
  :class:`~glassnet.train.history.History` as its loss and accuracy curves above the
  table;
* :class:`LiveCurves` is a training callback that redraws the curves after every epoch
  (or every ``every`` epochs) in one output area;
* :func:`progress_bar` is a notebook progress bar (``tqdm.notebook``) as a callback.

::

    from glassnet.views.notebook import LiveCurves, progress_bar
    tick, close = progress_bar(config.epochs)
    result = glassnet.fit(net, params, X, y, config, callbacks=[LiveCurves(), tick])
    close()
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from typing import Any

from matplotlib.figure import Figure

from glassnet.core._repr import html_table
from glassnet.core.wording import counted
from glassnet.train.history import EpochRecord, History, history_table
from glassnet.views.labels import fit_text


def plot_history(records: Sequence[EpochRecord], title: str = "Training") -> Figure:
    """The loss (left) and, when recorded, the accuracy (right) per epoch; training in
    blue, validation in red. ``records``: a history's ``records``."""
    epochs = [r.epoch for r in records]
    has_accuracy = any(r.accuracy is not None or r.val_accuracy is not None for r in records)
    fig = Figure(figsize=(9 if has_accuracy else 5, 3.2), dpi=100)
    panels = [("loss", "val_loss", "loss")]
    if has_accuracy:
        panels.append(("accuracy", "val_accuracy", "accuracy"))
    for k, (train, val, label) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), k + 1)
        for name, style in ((train, "b-"), (val, "r-")):
            pairs = [(e, getattr(r, name)) for e, r in zip(epochs, records, strict=True)
                     if getattr(r, name) is not None]  # fmt: skip
            if pairs:
                xs, ys = zip(*pairs, strict=True)
                ax.plot(xs, ys, style, marker="." if len(xs) < 30 else None,
                        label="validation" if name == val else "training")  # fmt: skip
        ax.set(xlabel="epoch", ylabel=label)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    fit_text(fig)  # long labels wrapped inside the figure
    fig.tight_layout()
    return fig


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def history_html(history: History) -> str:
    """The curves as an inline PNG above the epochs table (for IPython's HTML formatter)."""
    header, rows = history_table(history)
    title = f"Training history: {counted(history.epochs, 'epoch')}, stopped: {history.stop_reason}"
    table = html_table(title, header, rows, footer=f"kept the parameters of epoch "
                       f"{history.best_epoch}")  # fmt: skip
    if not history.rows():
        return table
    data = base64.b64encode(png_bytes(plot_history(history.rows()))).decode("ascii")
    return f'<img alt="training curves" src="data:image/png;base64,{data}"/>{table}'


def enable(ip: Any = None) -> bool:
    """Show histories as curves in this IPython session; ``False`` outside IPython."""
    if ip is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        ip = get_ipython()
    if ip is None:
        return False
    html = ip.display_formatter.formatters["text/html"]
    html.for_type_by_name("glassnet.train.history", "History", history_html)
    return True


def load_ipython_extension(ip: Any) -> None:
    """``%load_ext glassnet.views.notebook``."""
    enable(ip)


class LiveCurves:
    """A training callback that redraws the loss and accuracy curves as training goes.

    Pass it in ``callbacks`` to :func:`glassnet.train.loop.fit`; it draws after every
    ``every`` epochs into one output area of the notebook (an IPython display handle),
    replacing the previous picture. ``records`` keeps every epoch it has seen, ``frames``
    counts the pictures drawn. Returns ``None``: it never stops training.
    """

    def __init__(self, every: int = 1, title: str = "Training") -> None:
        if every < 1:
            raise ValueError(f"every must be at least 1, got {every}")
        self.every = every
        self.title = title
        self.records: list[EpochRecord] = []
        self.frames = 0
        self._handle: Any = None

    def __call__(self, record: EpochRecord) -> None:
        self.records.append(record)
        if len(self.records) % self.every == 0:
            self.draw()

    def draw(self) -> None:
        """Draw the curves of the epochs seen so far into the output area."""
        from IPython.display import Image, display

        image = Image(png_bytes(plot_history(self.records, self.title)), format="png")
        if self._handle is None:
            self._handle = display(image, display_id=True)
        else:
            self._handle.update(image)
        self.frames += 1


def progress_bar(
    epochs: int, description: str = "training"
) -> tuple[Callable[[EpochRecord], None], Callable[[], None]]:
    """A notebook progress bar over ``epochs`` (``tqdm.notebook``) as an epoch callback
    showing the latest loss and accuracy, and the function that closes it."""
    from tqdm.notebook import tqdm

    from glassnet.train.progress import describe

    bar = tqdm(total=epochs, desc=description, unit="epoch")

    def tick(record: EpochRecord) -> None:
        bar.set_postfix_str(describe(record), refresh=False)
        bar.update(record.epoch - bar.n)  # the epoch, also after --resume

    return tick, bar.close
