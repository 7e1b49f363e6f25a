"""
Seeds and sweeps
================

How much of the tutorial's result is luck? The same 2-3-2 network and momentum run
for ten seeds (the seed draws the data and the starting parameters) and for a range of
learning rates. Every run is
:func:`glassnet.train.tutorial.run_tutorial` with one setting changed in
:class:`~glassnet.train.tutorial.TutorialConfig`.
"""

import dataclasses

import matplotlib.pyplot as plt

from glassnet.train.tutorial import TutorialConfig, run_tutorial

base = TutorialConfig()
seeds = range(10)
by_seed = [run_tutorial(dataclasses.replace(base, seed=s)) for s in seeds]
for s, run in zip(seeds, by_seed, strict=True):
    print(f"seed {s}: final loss {run.final_loss:8.4f}, "
          f"all correct from iteration {run.first_perfect_iteration}")  # fmt: skip
stuck = sum(run.first_perfect_iteration is None for run in by_seed)
print(f"{stuck} of {len(by_seed)} runs misclassify some samples after {base.iterations} iterations")

# %%
# The loss curves: every run starts on the plateau where the network guesses 50/50;
# how long it stays there depends on the seed.

fig, ax = plt.subplots(figsize=(6, 3.5))
for s, run in zip(seeds, by_seed, strict=True):
    ax.plot(run.loss_history, linewidth=1, label=f"seed {s}")
ax.set(xlabel="iteration", ylabel="summed cross-entropy", yscale="log")
ax.legend(ncol=2, fontsize=7)

# %%
# A sweep of the learning rate :math:`\mu` (seed 1, momentum 0.9): too small and 300
# iterations end on the plateau, too large and the run overshoots.

rates = [0.002, 0.005, 0.01, 0.02, 0.05, 0.1]
finals = [run_tutorial(dataclasses.replace(base, learning_rate=mu)).final_loss for mu in rates]
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(rates, finals, marker="o")
ax.set(xscale="log", yscale="log", xlabel="learning rate", ylabel="final loss (300 iterations)")
