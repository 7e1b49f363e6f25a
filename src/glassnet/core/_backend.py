"""Which array namespace to compute with: NumPy itself, or the array API standard's.

The numerical core calls ``xp = namespace(X, W)`` and then only functions the Python
array API standard defines (``xp.exp``, ``xp.sum(x, axis=..., keepdims=...)``, ``@``). For
NumPy arrays ``xp`` is ``numpy`` itself, at no cost; for anything else (CuPy, PyTorch,
array-api-strict) it is ``array_api_compat.array_namespace``, imported only then, so
``array-api-compat`` stays an optional dependency.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def namespace(*arrays: Any) -> Any:
    """The namespace of ``arrays``: ``numpy`` for NumPy arrays and scalars, else array API."""
    for a in arrays:
        if not isinstance(a, np.ndarray | np.generic | float | int):
            break
    else:
        return np
    try:
        from array_api_compat import array_namespace
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise TypeError(
            "arrays other than NumPy's need the optional package array-api-compat"
        ) from exc
    return array_namespace(*(a for a in arrays if not isinstance(a, float | int)))


def into(out: Any) -> dict[str, Any]:
    """``{"out": out}`` when a buffer is given, else nothing.

    Every formula of the core is written once as calls such as ``xp.exp(Z, **into(out))``:
    with a buffer the call writes into it (NumPy's ``out=``, the fast path), without one it
    allocates, which is all the array API standard offers (its functions take no ``out``).
    """
    return {} if out is None else {"out": out}
