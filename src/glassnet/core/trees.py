"""Parameter trees: lists of ``{"W", "b"}`` dicts, one per layer, and maps over their leaves."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from glassnet.core._backend import namespace
from glassnet.core._types import Array, ParamList

Tree = ParamList


def tree_map(f: Callable[..., Array], tree: Tree, *rest: Tree) -> Tree:
    """Apply ``f`` leaf by leaf to parameter lists of the same structure."""
    return [{k: f(d[k], *(r[i][k] for r in rest)) for k in d} for i, d in enumerate(tree)]


def zeros_like(tree: Tree) -> Tree:
    return tree_map(lambda a: namespace(a).zeros_like(a), tree)


def apply_updates(params: Tree, updates: Tree) -> Tree:
    """``theta <- theta + update`` for every parameter; returns new arrays."""
    return tree_map(lambda p, u: p + u, params, updates)


Slots = tuple[Array, ...]  # an optimizer's per-parameter state for one array: (M,) or (m, v)


def map_rule(
    rule: Callable[[Array, Slots], tuple[Array, Slots]], grads: Tree, slot_trees: Sequence[Tree]
) -> tuple[Tree, list[Tree]]:
    """Run a one-array ``rule(g, slots) -> (update, slots)`` leaf by leaf over the parameters."""
    updates: Tree = [{} for _ in grads]
    slots_out: list[Tree] = [[{} for _ in grads] for _ in slot_trees]
    for i, layer in enumerate(grads):
        for k, g in layer.items():
            updates[i][k], new = rule(g, tuple(tree[i][k] for tree in slot_trees))
            for tree, a in zip(slots_out, new, strict=True):
                tree[i][k] = a
    return updates, slots_out
