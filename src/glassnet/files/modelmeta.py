"""A model file's metadata, checked: the format version and the architecture it declares,
and what every array must then be (:func:`layout`), before any array is read.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.core.network import Network
from glassnet.data.preprocessing import Standardizer
from glassnet.files.safenpz import FLOATS, SafeNpz, Spec

__all__ = ["FORMAT_VERSION", "ModelFileError", "architecture", "layout", "read_meta",
           "target_scaler"]

FORMAT_VERSION = 3  # 3: ensembles ("members"); 2: column encodings; 1: the first (all read)


class ModelFileError(ValueError):
    """A model file that cannot be read or does not hold a valid model."""


def layout(meta: dict[str, Any], net: Network, npz: SafeNpz) -> dict[str, Spec]:
    """What every array of the file must be, from the architecture the metadata declares."""
    K = member_count(meta)
    specs = {f"layer{i}_W": Spec(FLOATS, (*K, d.n_in, d.n_out)) for i, d in enumerate(net.layers)}
    specs |= {f"layer{i}_b": Spec(FLOATS, (*K, 1, d.n_out)) for i, d in enumerate(net.layers)}
    if meta.get("task") == "classification":
        specs["classes"] = Spec(tuple("biufUS"), (net.sizes[-1] if net.sizes[-1] > 1 else 2,))
    if "scaler_mean" in npz.names or "scaler_scale" in npz.names:
        for name in ("scaler_mean", "scaler_scale"):
            specs[name] = Spec(FLOATS, (net.sizes[0],))
    return specs


def target_scaler(meta: dict[str, Any], net: Network) -> Standardizer | None:
    """A regressor's target standardization (format 2), checked against the output layer."""
    target = meta.get("target_scaler")
    if not target:
        return None
    scaler = Standardizer(np.array(target["mean"], float), np.array(target["scale"]))
    if scaler.mean.shape != (net.sizes[-1],) or scaler.scale.shape != (net.sizes[-1],):
        raise ModelFileError("the target scaling does not match the output layer")
    return scaler


def member_count(meta: dict[str, Any]) -> tuple[int, ...]:
    """``(K,)`` for an ensemble's file, ``()`` for one network's."""
    K = meta.get("members")
    if K is None:
        return ()
    if not isinstance(K, int) or isinstance(K, bool) or K < 1:
        raise ModelFileError(f"invalid member count {K!r} in the model file")
    return (K,)


def architecture(meta: dict[str, Any], npz: SafeNpz) -> Network:
    """The architecture the metadata declares; no bigger than the file's member count allows."""
    sizes = meta.get("sizes")
    if not isinstance(sizes, list) or not 2 <= len(sizes) <= len(npz.names):
        shown = f"{sizes[:6]}... ({len(sizes)} entries)" if isinstance(sizes, list) else sizes
        raise ModelFileError(f"invalid architecture in the model file (sizes {str(shown)[:80]})")
    try:
        net = Network.mlp(sizes, "identity", meta["output"], meta["reduction"])
        from glassnet.core.activations import get_activation

        acts = tuple(get_activation(a) for a in meta["activations"])
        return Network(net.layers, acts, net.head)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelFileError(f"invalid architecture in the model file ({exc})") from None


def read_meta(npz: SafeNpz) -> dict[str, Any]:
    if "meta" not in npz.names:
        raise ModelFileError("no model metadata: not a glassnet model file")
    meta = npz.meta()
    if not isinstance(meta, dict) or meta.get("format") != "glassnet-model":
        raise ModelFileError("not a glassnet model file")
    version = meta.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelFileError(
            f"model file format version {version} is newer than this glassnet reads "
            f"({FORMAT_VERSION}); upgrade glassnet"
        )
    return meta
