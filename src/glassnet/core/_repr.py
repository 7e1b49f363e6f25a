"""Plain HTML tables for Jupyter's rich display (``_repr_html_``): text only, no figures.

Figures (training curves) are drawn in :mod:`glassnet.views.notebook`, which the core
never imports.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

STYLE = (
    "<style>.glassnet-table td,.glassnet-table th{padding:2px 8px;text-align:right}"
    ".glassnet-table td:first-child,.glassnet-table th:first-child{text-align:left}"
    ".glassnet-table tr.glassnet-fail td{background:#fde2e1;color:#9b1c1c;font-weight:bold}"
    "</style>"
)


def html_table(
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    failed: Sequence[bool] = (),
    footer: str = "",
) -> str:
    """A titled table; rows whose ``failed`` flag is true get the class ``glassnet-fail``."""
    flags = list(failed) + [False] * (len(rows) - len(failed))
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    fail = ' class="glassnet-fail"'
    body = "".join(
        f"<tr{fail if bad else ''}>"
        + "".join(f"<td>{escape(str(cell))}</td>" for cell in row)
        + "</tr>"
        for row, bad in zip(rows, flags, strict=True)
    )
    foot = f"<p>{escape(footer)}</p>" if footer else ""
    return (
        f"{STYLE}<div class=\"glassnet-repr\"><strong>{escape(title)}</strong>"
        f"<table class=\"glassnet-table\"><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>{foot}</div>"
    )


def architecture_rows(net: Any) -> list[list[Any]]:
    """One row per dense layer of a :class:`~glassnet.core.network.Network`: what it maps,
    its activation, the shapes of ``W`` and ``b`` and its parameter count."""
    output = {"SoftmaxCrossEntropy": "softmax", "LogisticBinaryCrossEntropy": "logistic",
              "IdentitySquaredError": "identity"}  # fmt: skip
    head = type(net.head).__name__
    names = [type(a).__name__.lower() for a in net.activations] + [output.get(head, head)]
    return [
        [i + 1, f"{layer.n_in} \u2192 {layer.n_out}", name, f"({layer.n_in}, {layer.n_out})",
         f"(1, {layer.n_out})", layer.n_params]
        for i, (layer, name) in enumerate(zip(net.layers, names, strict=True))
    ]  # fmt: skip


ARCHITECTURE_HEADER = ["layer", "units", "activation", "W", "b", "parameters"]


def network_table(net: Any) -> str:
    """A :class:`~glassnet.core.network.Network`'s table: one row per layer with its shapes
    and parameter count, the loss in the footer."""
    title = f"Network {'-'.join(map(str, net.sizes))}: {net.n_params} parameters"
    head = net.head
    loss = f"loss: {type(head).__name__}, reduction {getattr(head, 'reduction', '?')!r}"
    return html_table(title, ARCHITECTURE_HEADER, architecture_rows(net), footer=loss)
