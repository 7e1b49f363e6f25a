"""A population: ``K`` networks of one architecture, trained together.

The members' parameters are stacked on a leading axis, ``W (K, n_in, n_out)`` and
``b (K, 1, n_out)``, and every function of the core works on them unchanged:

* the dense layer's products are :func:`glassnet.core.layers.matmul`, which batches over
  the member axis (``Z (K, N, n_out)`` from a shared ``X (N, n_in)`` or the members' own
  ``X (K, N, n_in)``);
* activations, heads and optimizer rules are elementwise, or reduce over the last one or
  two axes, so :meth:`Network.loss_and_grad` gives a ``(K,)`` array of losses and the
  stacked gradients, and :func:`glassnet.core.fast.step` trains all members in one call;
* each member's hyperparameters (learning rate, momentum, L2 scale) are arrays that
  broadcast against the stacked parameters (:func:`member_optimizer`, :func:`member_scale`).

Members never mix: member ``k`` of a population follows exactly the arithmetic of its
own single network (``tests/test_population.py`` checks this to 1e-10 in float64).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network
from glassnet.core.optimizers import Optimizer
from glassnet.core.workspace import Workspace


def stack(members: Sequence[ParamList]) -> ParamList:
    """The members' parameter lists stacked: ``W (K, n_in, n_out)``, ``b (K, 1, n_out)``."""
    if not members:
        raise ValueError("a population needs at least one member")
    return [
        {k: np.stack([m[i][k] for m in members]) for k in members[0][i]}
        for i in range(len(members[0]))
    ]


def member(params: ParamList, k: int) -> ParamList:
    """Member ``k``'s parameters (copies) from stacked ones."""
    return [{name: np.array(a[k]) for name, a in layer.items()} for layer in params]


def size(params: ParamList) -> int:
    """The number of members ``K`` of stacked parameters."""
    return int(params[0]["W"].shape[0])


def init_members(
    net: Network,
    seeds: Sequence[int],
    init_scales: Sequence[float] | None = None,
    dtype: DTypeLike = np.float64,
) -> ParamList:
    """Stacked initial parameters: member ``k`` is ``init_scales[k] * net.init(rng_k)``.

    ``rng_k = np.random.default_rng(seeds[k])``: the initialization a single network with
    that seed gets (:meth:`Network.init`); ``init_scales`` (default all 1) multiplies it.
    """
    scales = np.ones(len(seeds)) if init_scales is None else np.asarray(init_scales, float)
    if scales.shape != (len(seeds),):
        raise ValueError(f"{len(seeds)} seeds need {len(seeds)} initial scales, got {scales}")
    members = []
    for seed, scale in zip(seeds, scales, strict=True):
        params = net.init(np.random.default_rng(int(seed)), dtype)
        members.append([{k: v * scale if scale != 1 else v for k, v in p.items()} for p in params])
    return stack(members)


def member_optimizer(opt: Optimizer, ws: Workspace, **per_member: Sequence[float]) -> Optimizer:
    """``opt`` with hyperparameters given per member (``learning_rate=[...]``, ``momentum=``).

    Each becomes a ``(K,)`` array shaped by :meth:`Workspace.per_member` to broadcast
    against the flat parameter vector that the optimizer's rule updates; the rule itself
    is the single network's. Raises ``ValueError`` for a name ``opt`` does not have.
    """
    fields = {f.name for f in dataclasses.fields(opt)}
    changes: dict[str, Any] = {}
    for name, values in per_member.items():
        if name not in fields:
            raise ValueError(f"{type(opt).__name__} has no hyperparameter {name!r}")
        changes[name] = ws.per_member(values)
    return dataclasses.replace(opt, **changes)


def member_scale(values: Sequence[float], dtype: DTypeLike = np.float64) -> Array:
    """Per-member L2 scales as ``(K, 1, 1)``, to broadcast against ``W (K, n_in, n_out)``."""
    return np.asarray(values, dtype=dtype).reshape(-1, 1, 1)


__all__ = ["init_members", "member", "member_optimizer", "member_scale", "size", "stack"]
