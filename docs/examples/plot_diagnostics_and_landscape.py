"""
Inside a training run: diagnostics and the loss landscape
=========================================================

The pictures of ``report.html``, drawn one by one for the tutorial's run: the loss with
its plateau named, each layer's gradient norm and unit saturation over training, what
each hidden unit computes over the input plane, and the loss around the trained
parameters with the path training took to get there.
"""

import numpy as np

from glassnet.train.tutorial import run_tutorial
from glassnet.views.diagnostics import DiagnosticsRecord
from glassnet.views.figures import (
    plot_activation_maps,
    plot_diagnostics,
    plot_landscape,
    plot_loss_with_plateaus,
)
from glassnet.views.landscape import loss_slice, random_direction

snapshots = []
record = None


def on_step(step):
    """Record the diagnostics at every step and keep every 10th parameter set."""
    record.add(step.grads, step.hidden, step.loss)
    if step.i % 10 == 0:
        snapshots.append(step.params)


def on_start(run):
    global record
    record = DiagnosticsRecord.for_network(run.net)


run = run_tutorial(on_start=on_start, on_step=on_step)
print(run.summary())
for plateau in record.plateaus():
    print(plateau.describe())

# %%
# The loss and its plateau: the network outputs about 50/50 for every sample until the
# hidden units differentiate.

fig_loss = plot_loss_with_plateaus(record.loss, record.plateaus())

# %%
# Gradient norms per layer (log scale) and the fraction of saturated logistic units: on
# the plateau the gradients are small but not zero.

fig_diagnostics = plot_diagnostics(record)

# %%
# Each hidden unit's activation over the input plane after training: three soft
# half-planes whose combination encloses the inner circle.

fig_units = plot_activation_maps(run.net, run.params, run.X, run.t)

# %%
# The loss on a plane through the trained parameters, spanned by two filter-normalised
# random directions, with the training path projected onto it.

rng = np.random.default_rng(0)
d1, d2 = random_direction(rng, run.params), random_direction(rng, run.params)
landscape = loss_slice(run.net, run.params, run.X, run.T, d1, d2, snapshots, resolution=21)
print("loss on the grid from", f"{landscape.loss.min():.3g}", "to", f"{landscape.loss.max():.3g}")
fig_landscape = plot_landscape(landscape, title="Around the trained parameters")
