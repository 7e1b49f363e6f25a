"""What a :class:`~glassnet.files.model.Model` shows of itself: a short summary, never its
weights. ``repr(model)`` (a Python prompt, ``print(model)``) is a few lines of text,
Jupyter's ``_repr_html_`` the same facts over the architecture table; the weights are in
``model.params`` and ``glassnet explain`` teaches them."""

from __future__ import annotations

from typing import Any

from glassnet.core.wording import counted

SHOWN = 8  # names (features, classes) shown before "... (N in all)"


def names(items: Any, limit: int = SHOWN, quote: bool = False) -> str:
    """The first ``limit`` of ``items`` as their ``str`` (text quoted with ``quote``, so that
    ``'benign '`` shows its space), comma-separated, each cut to 24 characters, and how many
    there are in all when some are left out."""
    values = [v.item() if hasattr(v, "item") else v for v in list(items)]
    texts = [repr(v) if isinstance(v, str) and quote else str(v) for v in values]
    texts = [t if len(t) <= 24 else t[:21] + "..." for t in texts]
    if len(texts) <= limit:
        return ", ".join(texts)
    return ", ".join(texts[:limit]) + f", ... ({len(texts)} in all)"


def task(model: Any) -> str:
    """``classifier of 2 classes`` or ``regressor of 1 target``, and an ensemble's size."""
    if model.classes is not None:
        what = f"classifier of {counted(len(model.classes), 'class')}"
    else:
        what = f"regressor of {counted(model.net.sizes[-1], 'target')}"
    return what if model.members is None else f"{what}, an ensemble of {model.members} members"


def title(model: Any) -> str:
    """``glassnet model: classifier of 2 classes, 30-64-2 network, 2114 float64 parameters``."""
    dtype = model.params[0]["W"].dtype
    n = model.net.n_params * (model.members or 1)
    sizes = "-".join(map(str, model.net.sizes))
    return f"glassnet model: {task(model)}, {sizes} network, {n} {dtype} parameters"


def facts(model: Any) -> list[str]:
    """The inputs (names, scaling, encoded table columns), the classes, and the run."""
    inputs = f"inputs: {model.n_features}"
    if model.feature_names:
        inputs += f" ({names(model.feature_names)})"
    out = [inputs]
    if model.encoding is not None:
        out.append(f"encoded from {counted(len(model.encoding.columns), 'table column')}")
    if model.classes is not None:
        out.append(f"classes: {names(model.classes, 10, quote=True)}")
    out.append("inputs standardized" if model.scaler is not None else "inputs as given")
    run = model.settings.get("run") if isinstance(model.settings, dict) else None
    if isinstance(run, dict) and isinstance(run.get("epochs"), int):
        kept = run.get("kept_epoch")
        line = f"trained {counted(run['epochs'], 'epoch')}"
        line += f", kept epoch {kept}" if isinstance(kept, int) else ""
        stop = run.get("stop_reason")
        out.append(line + (f" ({stop})" if isinstance(stop, str) else ""))
    return out


def text(model: Any) -> str:
    """``repr(model)``: the title and the facts, one per line, in angle brackets."""
    return "<" + "\n ".join([title(model), *facts(model)]) + ">"


def html(model: Any) -> str:
    """Jupyter's display: the title, the architecture table and the facts."""
    from glassnet.core._repr import ARCHITECTURE_HEADER, architecture_rows, html_table

    rows = architecture_rows(model.net)
    return html_table(title(model), ARCHITECTURE_HEADER, rows, footer="; ".join(facts(model)))
