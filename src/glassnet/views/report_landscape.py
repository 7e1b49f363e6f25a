"""The report's loss-landscape section: the loss around the kept parameters on the plane of
the training path (:func:`glassnet.views.landscape_plane.path_plane`), with the path, and a
text that says which plane, which epochs the path holds, and what the loss was measured on.
Returns HTML. This module imports matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from glassnet.views import figures
from glassnet.views import report_html as h
from glassnet.views.landscape import LossSlice, loss_slice, project_path
from glassnet.views.landscape_plane import Plane, line_parts, path_plane, percent
from glassnet.views.report_budget import LANDSCAPE_FLOPS, landscape_plan
from glassnet.views.report_html import Images, figure

if TYPE_CHECKING:
    from glassnet.views.report import ReportData

PLANES = {2: "the PCA plane of the path", 1: "the path's direction and a random direction",
          0: "two random directions"}  # fmt: skip


def _centre(d: ReportData) -> str:
    """What the landscape's centre is: the kept (saved) parameters, and their step."""
    step = "" if d.kept_step is None else f" ({d.step_name} {d.kept_step})"
    return f"the kept parameters{step}"


def _unseen(d: ReportData) -> str:
    """What the path lacks: the epochs a resumed run trained before it was resumed (the
    kept epoch, when among them, is the X: the checkpoint keeps it)."""
    if d.unseen_steps is None:
        return ""
    first, last = d.unseen_steps
    span = f"{d.step_name} {first}" if first == last else f"{d.step_name}s {first} to {last}"
    kept = d.kept_step
    other = (f" other than the kept {d.step_name} {kept} (the X)"
             if kept is not None and first <= kept <= last else "")  # fmt: skip
    return (f" The run was resumed from its checkpoint of {d.step_name} {last}: the path holds "
            f"no parameters of {span}{other} (trained before the resume; the path records "
            f"the {d.step_name}s trained after it, and the checkpoint keeps only the "
            f"parameters it goes on from, not the earlier ones), so it is drawn in two parts "
            "with no line between them; the plane is that of the recorded parameters.")  # fmt: skip


def _cut(d: ReportData) -> int | None:
    """The index of the first snapshot after the unrecorded epochs, if any."""
    if d.unseen_steps is None:
        return None
    after = [i for i, e in enumerate(d.snapshot_epochs) if e > d.unseen_steps[1]]
    return after[0] if after and after[0] > 0 else None


def _epochs(d: ReportData) -> list[int]:
    return list(d.snapshot_epochs) or list(range(len(d.snapshots)))


def _plane_text(d: ReportData, plane: Plane) -> tuple[tuple[str, str], str]:
    """The axis labels and the text that names the plane."""
    recorded = "recorded path" if d.unseen_steps else "path"
    epochs = _epochs(d)
    if plane.principal == 2:
        labels = (f"PC 1 ({percent(plane.share[0])} of the {recorded})",
                  f"PC 2 ({percent(plane.share[1])})")  # fmt: skip
        return labels, (
            "The loss on the plane of the training path itself: the two principal directions "
            "of the parameter snapshots' offsets from the kept parameters (PCA, as in Li et "
            f"al., 2018), which hold {percent(plane.share.sum())} of the {recorded}'s variance "
            "(the sum of the squared offsets). The path runs from the start (circle, epoch 0) "
            "to the last epoch (star); the kept parameters are the centre (0, 0), marked with "
            "an X." + _unseen(d)
        )
    if plane.principal == 1:
        return ("the path's direction", "a random direction"), (
            f"The path holds {len(epochs)} snapshots ({d.step_name}s "
            f"{', '.join(map(str, epochs))}) whose offsets from the kept parameters (the "
            "centre (0, 0), an X) lie along one direction: the plane is that direction and a "
            "random filter-normalised direction made orthogonal to it (Li et al., 2018). The "
            "path runs from the start (circle) to the last epoch (star)." + _unseen(d)
        )
    why = ("no training path was recorded" if not epochs else
           f"the path is one point, {d.step_name} {epochs[0]}, at the centre")  # fmt: skip
    return ("random direction 1", "random direction 2"), (
        "The loss on a plane through the model's parameters (the centre (0, 0), marked "
        "with an X), spanned by two random filter-normalised directions (Li et al., "
        f"2018); {why}."
    )


def _line_text(d: ReportData, s: LossSlice) -> str:
    """Say so where the path is too short at this scale to show as a line."""
    if len(s.path) < 2:
        return ""
    span = max(float(np.ptp(s.alphas)), float(np.ptp(s.betas)))
    if line_parts(s.path, _cut(d), span):
        return ""
    return (" The path's points lie too close together at this scale to show as a line "
            "(after the circle, they are drawn under the star).")  # fmt: skip


def landscape(d: ReportData, images: Images) -> str:
    """The loss on the plane of the training path (Li et al. 2018), as far as the path has
    directions (:func:`path_plane`); the loss on a budgeted sample of the rows shown.
    Without true labels it is left out, saying why."""
    if not d.labelled:
        return h.paragraph(
            "Not drawn: no true labels were given (--target), and the loss against the "
            "model's own predicted classes would not be its loss on this data (lower: each "
            "sample would be scored against the class the model already picks).", "note"
        )  # fmt: skip
    plane = path_plane(d.snapshots, d.params)
    labels, text = _plane_text(d, plane)
    extent = 1.0
    if plane.principal:
        coords = project_path(d.snapshots, d.params, plane.d1, plane.d2)
        extent = 0.2 * max(float(np.abs(coords).max()), 1e-6)
    rows, resolution = landscape_plan(d.net, len(d.X))
    picked = np.sort(np.random.default_rng(2).permutation(len(d.X))[:rows])
    s = loss_slice(
        d.net, d.params, d.X[picked], d.T[picked], plane.d1, plane.d2, snapshots=d.snapshots,
        resolution=resolution, extent=extent, labels=labels,
    )  # fmt: skip
    text += _line_text(d, s)
    text += (f" The loss is measured on {rows} of the {len(d.X)} samples shown (a seeded "
             f"draw), on a {resolution} x {resolution} grid (a budget of "
             f"{LANDSCAPE_FLOPS:.0e} operations).")  # fmt: skip
    name = PLANES[plane.principal]
    fig = figures.plot_landscape(s, f"Loss on {name}", centre=_centre(d), cut=_cut(d))
    caption = f"Loss landscape on {name}; X: {_centre(d)}"
    if plane.principal:
        caption += "; circle: epoch 0; star: the last epoch"
    return h.paragraph(text) + figure(images, "landscape.png", fig, caption)
