"""Model files: one ``.npz`` that ``numpy.load(path, allow_pickle=False)`` reads.

Layout (every entry a plain array; nothing is pickled, so loading never runs code):

* ``meta``: a 0-d string array holding JSON: format version, glassnet version, the
  architecture (layer sizes, hidden activations, output, reduction), the task, feature
  names, training settings and a SHA-256 checksum of all the arrays below;
* ``layer{i}_W`` (n_in, n_out) and ``layer{i}_b`` (1, n_out) for every dense layer; an
  ensemble of ``K`` members (format 3, ``"members": K`` in ``meta``) stores them stacked,
  ``(K, n_in, n_out)`` and ``(K, 1, n_out)``, and predicts with the mean of its members'
  outputs (class probabilities, or values for a regressor);
* ``classes`` (C,) for a classifier; ``scaler_mean`` and ``scaler_scale`` (D,) when the
  inputs are standardized.

Format 2 (glassnet 0.2) adds two optional entries to the JSON metadata: ``encoding``, how
a table's columns become the features (:class:`glassnet.data.encoding.Encoding`), and
``target_scaler`` (``mean`` and ``scale`` lists), the standardization of a regressor's
targets that predictions undo. Format-1 files load as before.

Files are written atomically. Loading checks the format version, every array's
presence, shape and dtype against the stored architecture, and the checksum, and
raises :class:`ModelFileError` with one clear message for anything wrong.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from pathlib import Path

import numpy as np

from glassnet.core._types import Array
from glassnet.data.constant_columns import loaded, stored
from glassnet.data.encoding import Encoding
from glassnet.data.preprocessing import Standardizer
from glassnet.files.fileio import write_npz
from glassnet.files.model import BLOCK_ELEMENTS, Model
from glassnet.files.modelmeta import (
    FORMAT_VERSION,
    ModelFileError,
    architecture,
    layout,
    read_meta,
    target_scaler,
)
from glassnet.files.safenpz import FLOATS, NpzError, SafeNpz, Spec

__all__ = ["BLOCK_ELEMENTS", "FORMAT_VERSION", "Model", "ModelFileError", "load_model",
           "save_model"]

SINGLE_FORMAT = 2  # what a file of one network is written as (readable by format-2 glassnet)


def _arrays(model: Model) -> dict[str, Array]:
    arrays = {}
    for i, p in enumerate(model.params):
        arrays[f"layer{i}_W"], arrays[f"layer{i}_b"] = p["W"], p["b"]
    if model.classes is not None:
        arrays["classes"] = np.asarray(model.classes)
    if model.scaler is not None:
        arrays["scaler_mean"], arrays["scaler_scale"] = model.scaler.mean, model.scaler.scale
    return arrays


def checksum(arrays: dict[str, Array]) -> str:
    """SHA-256 over every array's name, dtype, shape and bytes, in name order."""
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def save_model(model: Model, path: str | os.PathLike[str]) -> Path:
    """Write ``model`` to ``path`` atomically (a temporary file, then a rename)."""
    from glassnet._version import __version__

    arrays = _arrays(model)
    net = model.net
    meta = {
        "format": "glassnet-model",
        "format_version": FORMAT_VERSION if model.members is not None else SINGLE_FORMAT,
        "glassnet_version": __version__,
        "sizes": net.sizes,
        "activations": [a.name for a in net.activations],
        "output": net.head.name,
        "reduction": net.head.reduction,
        "task": "classification" if model.classes is not None else "regression",
        "feature_names": list(model.feature_names),
        "settings": model.settings,
        "encoding": model.encoding.to_json() if model.encoding is not None else None,
        "target_scaler": None
        if model.target_scaler is None
        else {k: np.asarray(v, float).tolist() for k, v in model.target_scaler._asdict().items()},
        "checksum": checksum(arrays),
    }
    if model.constants is not None:  # features of one value in training (NU11 #21)
        meta["constant_features"] = stored(model.constants)
    if model.members is not None:
        meta["members"] = model.members
    arrays["meta"] = np.array(json.dumps(meta))
    return write_npz(path, arrays)


def load_model(path: str | os.PathLike[str]) -> Model:
    """Read and validate a model file; :class:`ModelFileError` names any problem.

    Nothing is read before it is checked (:mod:`glassnet.files.safenpz`): the zip
    directory, the size-capped metadata, then every array's ``.npy`` header against the
    architecture the metadata declares, so a file that lies about its sizes is refused
    after reading little more than its directory and headers.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: {_not_a_file(path)}")
    try:
        with open(path, "rb") as fh, SafeNpz(fh) as npz:
            return _build(npz)
    except ModelFileError as exc:
        raise ModelFileError(f"{path}: {exc}") from None
    except NpzError as exc:
        raise ModelFileError(f"{path}: not a readable model file ({exc})") from None
    except RuntimeError as exc:  # zipfile: an entry flagged encrypted (a damaged flag bit)
        raise ModelFileError(f"{path}: not a readable model file ({_short(exc)})") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelFileError(f"{path}: invalid model description ({_short(exc)})") from None


def _not_a_file(path: Path) -> str:
    """Why ``path`` is no model file: nothing there, a folder (naming the model files it
    holds, as a user passing a run's folder needs), or something else (a device, a pipe)."""
    if not path.exists():
        return "no such model file"
    if not path.is_dir():
        return "not a regular file (a model is an .npz file)"
    try:
        found = (p.name for p in path.glob("*.npz")
                 if not p.name.endswith(".ckpt.npz") and p.is_file())  # fmt: skip
        held = sorted(itertools.islice(found, 100))
    except OSError:
        held = []
    if not held:
        return "a folder, not a model file"
    shown = ", ".join(held[:3]) + (", ..." if len(held) > 3 else "")
    return f"a folder, not a model file; it holds {shown}: name one, as {path / held[0]}"


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


def _build(npz: SafeNpz) -> Model:
    meta = read_meta(npz)
    net = architecture(meta, npz)
    specs = layout(meta, net, npz)
    npz.expect({"meta": Spec(("U",), ()), **specs})
    arrays = {name: npz.read(name, spec) for name, spec in specs.items()}
    params_names = [n for n in specs if n.startswith("layer")]
    if len({arrays[n].dtype for n in params_names}) > 1:
        raise ModelFileError("the parameters do not share one dtype")
    for name, spec in specs.items():
        if spec.dtypes == FLOATS and not np.all(np.isfinite(arrays[name])):
            raise ModelFileError(f"array {name!r} holds NaN or infinite values")
    if checksum(arrays) != meta.get("checksum"):
        raise ModelFileError("checksum mismatch: the file is damaged or was altered")
    params = [
        {"W": arrays[f"layer{i}_W"], "b": arrays[f"layer{i}_b"]} for i in range(len(net.layers))
    ]
    scaler = None
    if "scaler_mean" in arrays:
        scaler = Standardizer(arrays["scaler_mean"], arrays["scaler_scale"])
    encoding = Encoding.from_json(meta["encoding"]) if meta.get("encoding") else None
    if encoding is not None and len(encoding.feature_names()) != net.sizes[0]:
        raise ModelFileError("the column encoding does not match the input layer")
    return Model(
        net,
        params,
        arrays.get("classes"),
        scaler,
        tuple(meta.get("feature_names", ())),
        dict(meta.get("settings", {})),
        encoding,
        target_scaler(meta, net),
        loaded(meta.get("constant_features")),
    )
