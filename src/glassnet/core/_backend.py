"""Which array namespace to compute with: NumPy itself, or the array API standard's.

The numerical core calls ``xp = namespace(X, W)`` and then only functions the Python
array API standard defines (``xp.exp``, ``xp.sum(x, axis=..., keepdims=...)``, ``@``).
For NumPy arrays ``xp`` is ``numpy`` itself (:data:`NUMPY`), at no cost; for anything else
(CuPy, PyTorch, array-api-strict) it is ``array_api_compat.array_namespace``, imported only
then, so ``array-api-compat`` stays an optional dependency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np

_NUMPY_TYPES = (np.ndarray, np.generic, float, int)


class _NumPy:
    """``numpy`` itself, except that ``sum`` and ``max`` call the ufunc reductions they wrap
    (``np.add.reduce``, ``np.maximum.reduce``) without NumPy's Python wrapper: the same
    numbers, a microsecond less per call, which the tiny networks' steps notice."""

    @staticmethod
    def sum(x: Any, axis: Any = None, keepdims: bool = False, out: Any = None) -> Any:
        return np.add.reduce(x, axis=axis, keepdims=keepdims, out=out)

    @staticmethod
    def max(x: Any, axis: Any = None, keepdims: bool = False, out: Any = None) -> Any:
        return np.maximum.reduce(x, axis=axis, keepdims=keepdims, out=out)

    def __getattr__(self, name: str) -> Any:
        value = getattr(np, name)
        setattr(self, name, value)  # found in the instance from now on
        return value


NUMPY = _NumPy()

Call = tuple[Callable[..., object], tuple[Any, ...], dict[str, Any]]


class NotRecordable(TypeError):
    """A call with no output buffer met while recording (:func:`recording`)."""


class Tape:
    """NumPy's namespace that also records every call as ``(function, args, kwargs)``.

    Only calls that write into a buffer can be replayed, so a call without ``out`` (other
    than ``copyto``, whose first argument is its output) raises :class:`NotRecordable`;
    ``ones`` is not recorded: the array it makes is a constant of the calls that use it.
    ``sum`` and ``max`` are recorded as the ufunc reductions they are (:class:`_NumPy`).
    """

    _CONSTANTS = frozenset({"ones"})  # arrays made from shapes alone, not from buffers
    _REDUCTIONS: dict[str, Callable[..., object]] = {
        "sum": np.add.reduce,
        "max": np.maximum.reduce,
    }

    def __init__(self) -> None:
        self.calls: list[Call] = []

    def __getattr__(self, name: str) -> Callable[..., object]:
        function = self._REDUCTIONS.get(name) or getattr(np, name)
        if name in self._CONSTANTS:  # made once, then bound into the calls that use it
            return function

        def record(*args: Any, **kwargs: Any) -> object:
            if "out" not in kwargs and name != "copyto":
                raise NotRecordable(f"{name} called without an output buffer")
            self.calls.append((function, args, kwargs))
            return function(*args, **kwargs)

        return record


_TAPE: ContextVar[Tape | None] = ContextVar("glassnet_tape", default=None)


@contextmanager
def recording() -> Iterator[Tape]:
    """While active, :func:`namespace` is a :class:`Tape` that records every call the core
    makes (the compiled step of :mod:`glassnet.core.fast` replays them)."""
    tape = Tape()
    token = _TAPE.set(tape)
    try:
        yield tape
    finally:
        _TAPE.reset(token)


def namespace(*arrays: Any) -> Any:
    """The namespace of ``arrays``: NumPy's (:data:`NUMPY`) for NumPy arrays and scalars,
    else the array API's; the recording :class:`Tape` inside :func:`recording`."""
    tape = _TAPE.get()
    if tape is not None:
        return tape
    for a in arrays:
        if type(a) is not np.ndarray and not isinstance(a, _NUMPY_TYPES):
            break
    else:
        return NUMPY
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
