"""The report's sections on what the trained network computes inside: the samples as each
hidden layer sees them, what each hidden unit computes over the input plane, and the loss
around the trained parameters (:mod:`glassnet.views.report_landscape`). Each returns HTML.
This module imports matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glassnet.views import figures, plotting
from glassnet.views.report_html import Images, figure
from glassnet.views.report_landscape import landscape

if TYPE_CHECKING:
    from glassnet.views.report import ReportData


def hidden(d: ReportData, images: Images) -> str:
    parts = []
    for i, A in enumerate(d.net.hidden_activations(d.params, d.X)):
        fig = plotting.plot_hidden_projection(A, d.t, f"hidden layer {i + 1}", d.class_names)
        shown = "" if A.shape[1] <= 3 else ", on its first three principal components"
        name = f"hidden_projection_{i + 1}.png"
        caption = f"The samples in hidden layer {i + 1}{shown}{d.coloured_by}"
        parts.append(figure(images, name, fig, caption))
    if d.plane:
        fig = figures.plot_activation_maps(d.net, d.params, d.X, d.t)
        parts.append(
            figure(
                images,
                "activation_maps.png",
                fig,
                "What each hidden unit computes over the input plane",
            )
        )
    return "".join(parts)


__all__ = ["hidden", "landscape"]
