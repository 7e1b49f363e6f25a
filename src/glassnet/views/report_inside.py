"""The report's sections on what the trained network computes inside: the samples as each
hidden layer sees them, what each hidden unit computes over the input plane, and the loss
around the trained parameters. Each returns HTML. This module imports matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from glassnet.views import figures, plotting
from glassnet.views import report_html as h
from glassnet.views.landscape import loss_slice, pca_directions, project_path, random_direction
from glassnet.views.report_budget import LANDSCAPE_FLOPS, landscape_plan
from glassnet.views.report_html import Images, figure

if TYPE_CHECKING:
    from glassnet.views.report import ReportData


def hidden(d: ReportData, images: Images) -> str:
    parts = []
    for i, A in enumerate(d.net.hidden_activations(d.params, d.X)):
        fig = plotting.plot_hidden_projection(A, d.t, f"hidden layer {i + 1}", d.class_names)
        shown = "" if A.shape[1] <= 3 else ", on its first three principal components"
        name = f"hidden_projection_{i + 1}.png"
        parts.append(figure(images, name, fig, f"The samples in hidden layer {i + 1}{shown}"))
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


def _centre(d: ReportData) -> str:
    """What the landscape's centre is: the kept (saved) parameters, and their step."""
    step = "" if d.kept_step is None else f" ({d.step_name} {d.kept_step})"
    return f"the kept parameters{step}"


def _unseen(d: ReportData) -> str:
    """What the path lacks: the epochs a resumed run trained before it was resumed."""
    if d.unseen_steps is None:
        return ""
    first, last = d.unseen_steps
    span = f"{first}" if first == last else f"{first} to {last}"
    return (f" The run was resumed from its checkpoint: the path holds no parameters of "
            f"{d.step_name}s {span} (trained before the interruption, not kept in the "
            "checkpoint), so it is drawn in two parts with no line between them; the "
            "plane is that of the recorded parameters.")  # fmt: skip


def _cut(d: ReportData) -> int | None:
    """The index of the first snapshot after the unrecorded epochs, if any."""
    if d.unseen_steps is None:
        return None
    after = [i for i, e in enumerate(d.snapshot_epochs) if e > d.unseen_steps[1]]
    return after[0] if after and after[0] > 0 else None


def landscape(d: ReportData, images: Images) -> str:
    """The loss on the plane of the training path (PCA of the snapshots, Li et al. 2018)
    when there is a path; else on two random filter-normalised directions."""
    try:
        d1, d2, share = pca_directions(d.snapshots, d.params)
    except ValueError:
        share = None
    if share is not None:
        radius = max(float(np.abs(project_path(d.snapshots, d.params, d1, d2)).max()), 1e-6)
        recorded = "recorded path" if d.unseen_steps else "path"
        labels = (f"PC 1 ({share[0]:.0%} of the {recorded})", f"PC 2 ({share[1]:.0%})")
        extent, text = (
            0.2 * radius,
            (
                "The loss on the plane of the training path itself: the two principal directions "
                "of the parameter snapshots' offsets from the kept parameters (PCA, as in Li et "
                f"al., 2018), which hold {share.sum():.0%} of the {recorded}'s variance. The path "
                "runs from the start (circle, epoch 0) to the last epoch (star); the kept "
                "parameters are the centre (0, 0), marked with an X." + _unseen(d)
            ),
        )
    else:
        rng = np.random.default_rng(0)
        d1, d2 = random_direction(rng, d.params), random_direction(rng, d.params)
        labels, extent = ("random direction 1", "random direction 2"), 1.0
        text = (
            "The loss on a plane through the model's parameters (the centre (0, 0), marked "
            "with an X), spanned by two random filter-normalised directions (Li et al., "
            "2018); no training path was recorded."
        )
    rows, resolution = landscape_plan(d.net, len(d.X))
    picked = np.sort(np.random.default_rng(2).permutation(len(d.X))[:rows])
    s = loss_slice(
        d.net, d.params, d.X[picked], d.T[picked], d1, d2, snapshots=d.snapshots,
        resolution=resolution, extent=extent, labels=labels,
    )  # fmt: skip
    text += (f" The loss is measured on {rows} of the {len(d.X)} samples shown (a seeded "
             f"draw), on a {resolution} x {resolution} grid (a budget of "
             f"{LANDSCAPE_FLOPS:.0e} operations).")  # fmt: skip
    plane = "the PCA plane of the path" if share is not None else "two random directions"
    fig = figures.plot_landscape(s, f"Loss on {plane}", centre=_centre(d), cut=_cut(d))
    caption = f"Loss landscape on {plane}; X: {_centre(d)}"
    if share is not None:
        caption += "; circle: epoch 0; star: the last epoch"
    return h.paragraph(text) + figure(images, "landscape.png", fig, caption)
