"""What the report's numerical checks may cost: a budget in floating-point operations.

The gradient check and the loss landscape evaluate the network many times; on a large
network at fixed sizes they cost far more than training it (a 784-512-512-10 network:
about 2,000 forward passes for the check, 961 grid points of the landscape). Each has a
budget here, and the plan that fits it is stated in the report:

* the gradient check (:func:`check_plan`): ``CHECK_ROWS`` samples, fewer when even
  ``MIN_ELEMENTS`` elements per array would not fit; each array gets an equal share of the
  budget, and a perturbed loss costs the forward pass from its layer on (central
  differences: two per element; :class:`glassnet.core.layered_loss.LayerLoss`), so every
  element of a small network is checked and a seeded sample of a large one's;
* the landscape (:func:`landscape_plan`): the finest grid of ``RESOLUTIONS`` whose points
  fit on at least ``MIN_LANDSCAPE_ROWS`` samples (at most ``LANDSCAPE_ROWS``); the first
  layer is linear in its parameters, so a grid point costs the layers above it
  (:func:`glassnet.views.landscape.loss_slice`).

A multiply-add counts as 2 operations; activations and losses are left out (they are a few
operations per unit, against ``n_in`` for its product).
"""

from __future__ import annotations

from dataclasses import dataclass

from glassnet.core.network import Network

CHECK_FLOPS = 1e9  # the gradient check's budget, about 0.1-0.3 s of float64 products
LANDSCAPE_FLOPS = 2e9  # the landscape's budget
CHECK_ROWS = 16  # samples in the gradient check, when the budget allows
MIN_ELEMENTS = 8  # elements checked per parameter array, at least (all when fewer)
MAX_ELEMENTS = 500  # ... and at most (each costs two Python-level loss calls)
RESOLUTIONS = (31, 25, 21, 17, 13, 11)  # landscape grids, finest first
LANDSCAPE_ROWS = 256  # samples of the landscape's loss, at most
MIN_LANDSCAPE_ROWS = 32  # ... and at least, unless even the coarsest grid needs fewer
FEWEST_ROWS = 4  # the landscape's floor on any network


def forward_flops(net: Network, first: int = 0) -> int:
    """Operations of the forward pass of one sample from layer ``first`` (0-based) on."""
    return sum(2 * layer.n_in * layer.n_out for layer in net.layers[first:])


@dataclass(frozen=True)
class CheckPlan:
    """How the gradient check is run: on ``rows`` samples, at most ``elements[l]`` elements of
    each parameter array of layer ``l`` (``None``: all of them)."""

    rows: int
    elements: tuple[int | None, ...]

    def loss_evaluations(self, net: Network) -> int:
        """The perturbed losses it takes at most (two per element checked)."""
        sizes = [(layer.n_in * layer.n_out, layer.n_out) for layer in net.layers]
        return sum(
            2 * (min(w, cap) + min(b, cap)) if cap is not None else 2 * (w + b)
            for (w, b), cap in zip(sizes, self.elements, strict=True)
        )

    def describe(self, net: Network) -> str:
        every = all(c is None for c in self.elements)
        what = "every element" if every else "a seeded sample of the elements"
        return (
            f"{what} of every parameter array, on {self.rows} samples "
            f"(a budget of {CHECK_FLOPS:.0e} operations; at most "
            f"{self.loss_evaluations(net)} perturbed losses)"
        )


def check_plan(net: Network, n_rows: int, budget: float = CHECK_FLOPS) -> CheckPlan:
    """The gradient check's rows and elements per array within ``budget`` operations."""
    share = budget / (2 * len(net.layers))  # per parameter array (W and b of each layer)
    rows = max(1, min(CHECK_ROWS, n_rows))
    per_row = [2 * forward_flops(net, layer) for layer in range(len(net.layers))]  # +- eps
    while rows > 1 and max(per_row) * rows * MIN_ELEMENTS > share:
        rows //= 2
    elements: list[int | None] = []
    for layer, cost in zip(net.layers, per_row, strict=True):
        fits = int(share // (cost * rows))
        fits = min(fits, MAX_ELEMENTS)
        elements.append(None if fits >= layer.n_in * layer.n_out else max(fits, MIN_ELEMENTS))
    return CheckPlan(rows, tuple(elements))


def point_flops(net: Network) -> int:
    """Operations of one landscape grid point on one sample: the layers above the first,
    and the first layer's pre-activations as a sum of three precomputed ones."""
    return forward_flops(net, 1) + 4 * net.layers[0].n_out


def landscape_plan(net: Network, n_rows: int, budget: float = LANDSCAPE_FLOPS) -> tuple[int, int]:
    """``(rows, resolution)`` of the landscape within ``budget`` operations."""
    available = max(1, min(n_rows, LANDSCAPE_ROWS))
    for resolution in RESOLUTIONS:
        rows = int(budget // (resolution**2 * point_flops(net)))
        if rows >= min(available, MIN_LANDSCAPE_ROWS):
            return min(rows, available), resolution
    return min(available, max(rows, FEWEST_ROWS)), RESOLUTIONS[-1]


__all__ = [
    "CHECK_FLOPS",
    "LANDSCAPE_FLOPS",
    "CheckPlan",
    "check_plan",
    "forward_flops",
    "landscape_plan",
    "point_flops",
]
