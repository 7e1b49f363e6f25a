"""
The tutorial in ten lines
=========================

:func:`glassnet.train.tutorial.run_tutorial` runs the whole tutorial: the circles data,
the 2-3-2 network, the gradient check and 300 momentum iterations, from one seeded stream.
This is what ``glassnet demo`` runs. The :doc:`step-by-step version
<../tutorial_executed/plot_tutorial>` builds the same run from its equations.
"""

from glassnet.data.datasets import CIRCLES_CLASSES
from glassnet.train.tutorial import run_tutorial
from glassnet.views import plotting

run = run_tutorial()
print(run.gradient_report.format())
print(run.summary())

# %%
# The loss curve and the trained decision boundary.

fig_loss = plotting.plot_loss(run.loss_history, title="Cross-entropy loss (momentum)")
fig_boundary = plotting.plot_decision_boundary(
    lambda P: run.net.predict(run.params, P), run.X, run.t, class_names=CIRCLES_CLASSES
)
