"""Recorded NumPy calls made ready to replay (:func:`prepared`): the same call, the same
numbers, less to do at each replay. The compiled step (:mod:`glassnet.core.program`) and
the compiled optimizer rule (:mod:`glassnet.core.compiled_rule`) prepare every call they
record: Python numbers typed once, one-element operands as 0-d views, keywords passed by
position, NumPy's C functions called without their dispatch step.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.core._backend import Call
from glassnet.core._types import Array


def prepared(call: Call) -> Call:
    """A recorded ``call`` made ready to replay: its Python numbers typed (spread out for
    ``maximum``), its keywords positional, NumPy's C function called directly (the helpers
    below)."""
    return _undispatched(_positional(_one_element_views(_typed_scalars(_spread(call)))))


_SCALAR_LOOP_SLOW = (np.maximum, np.minimum)
SPREAD_MAX = 1 << 22  # elements: the longest run of one number kept for _spread
_RUNS: dict[tuple[str, bytes], Array] = {}  # (dtype, value's bytes) -> read-only run of it


def _spread(call: Call) -> Call:
    """``maximum`` or ``minimum`` into ``out`` with a Python-number operand (ReLU's
    ``maximum(Z, 0.0)``) given that number as an array of ``out``'s shape (a read-only view
    of a shared run of it): the same numbers, elementwise, through NumPy's vectorized loop
    for two arrays (NumPy 2.4's loop for an array and a scalar takes 2 to 4 times longer
    for these two functions; not for the others)."""
    function, args, kwargs = call
    out = kwargs.get("out")
    if function not in _SCALAR_LOOP_SLOW or set(kwargs) != {"out"} or len(args) != 2:
        return call
    arrays = [a for a in args if type(a) is np.ndarray]
    if type(out) is not np.ndarray or not arrays or not 0 < out.size <= SPREAD_MAX:
        return call
    dtype = np.result_type(*arrays)
    if dtype != out.dtype or not out.flags.c_contiguous:
        return call
    typed = [(a, _typed(a, dtype) if type(a) in (float, int) else a) for a in args]
    if all(t is a for a, t in typed):  # no number, or one that the dtype cannot hold as it is
        return call
    return function, tuple(a if t is a else _run(t, out.shape) for a, t in typed), kwargs


def _run(value: Array, shape: tuple[int, ...]) -> Array:
    """A read-only array of ``shape`` holding the 0-d ``value`` everywhere (a view of the
    run kept for that dtype and value, made longer when needed)."""
    key = (value.dtype.str, value.tobytes())
    size = int(np.prod(shape))
    run = _RUNS.get(key)
    if run is None or run.size < size:
        run = np.full(size, value, value.dtype)
        run.flags.writeable = False
        _RUNS[key] = run
    return run[:size].reshape(shape)


def _one_element_views(call: Call) -> Call:
    """``call`` with each one-element array operand of an elementwise ufunc that writes into
    ``out`` (a ``(1, 1)`` bias beside ``(n, 1)`` logits) passed as a 0-d view of itself: the
    same memory and dtype, the same numbers (``out`` fixes the shape), without NumPy's
    broadcasting loop (a third of such a call)."""
    function, args, kwargs = call
    if not isinstance(function, np.ufunc) or function.signature or set(kwargs) - {"out"}:
        return call  # (a generalized ufunc such as matmul needs its operands' core dimensions)
    n_in, out = function.nin, kwargs.get("out", args[function.nin :][:1] or None)
    out = out[0] if isinstance(out, tuple | list) else out
    if not isinstance(out, np.ndarray) or len(args) < n_in:
        return call
    viewed = tuple(_zero_d(a) if i < n_in else a for i, a in enumerate(args))
    return function, viewed, kwargs


def _zero_d(a: Any) -> Any:
    """A one-element array ``a`` as a 0-d view of its memory; anything else as it is."""
    if type(a) is not np.ndarray or a.ndim == 0 or a.size != 1:
        return a
    view = a.reshape(())
    return view if np.shares_memory(view, a) else a


def _typed_scalars(call: Call) -> Call:
    """``call`` with its Python-number operands (``0.5 * Z``, ``total / n``) made 0-d arrays
    of the dtype NumPy casts them to (that of the call's float array operands): the same
    numbers, without NumPy converting them at every replay (a tenth of a tiny step)."""
    function, args, kwargs = call
    arrays = [a for a in args if isinstance(a, np.ndarray)]
    if not isinstance(function, np.ufunc) or not arrays:
        return call
    dtype = np.result_type(*arrays)
    typed = tuple(_typed(a, dtype) if type(a) in (float, int) else a for a in args)
    return function, typed, kwargs


def _typed(number: float, dtype: np.dtype[Any]) -> Any:
    """``number`` as a 0-d array of float ``dtype``; itself where that would change it
    (beyond the dtype's range, or an integer dtype)."""
    with np.errstate(over="ignore"):
        typed = np.asarray(number, dtype)
    if dtype.kind != "f" or np.isfinite(typed) != np.isfinite(number):
        return number
    return typed


_REDUCE_ORDER = ("axis", "dtype", "out", "keepdims")  # ufunc.reduce(array, axis, dtype, out, ...)
_REDUCE_DEFAULTS = {"axis": 0, "dtype": None, "out": None, "keepdims": False}
_KEYWORD_OUT = (np.maximum, np.minimum)  # their positional ``out`` is deprecated (NumPy 2.4)


def _positional(call: Call) -> Call:
    """``call`` with its keyword arguments passed by position where NumPy takes them so
    (``np.add(a, b, out)``, ``np.dot(a, b, out)``, ``np.add.reduce(x, axis, dtype, out,
    keepdims)``): the same call, a fifth of a microsecond less to make."""
    function, args, kwargs = call
    if not kwargs:
        return call
    if set(kwargs) == {"out"} and function not in _KEYWORD_OUT:
        n_in = function.nin if isinstance(function, np.ufunc) else 2 if function is np.dot else 0
        if len(args) == n_in:
            return function, (*args, kwargs["out"]), {}
    reduced = getattr(function, "__self__", None)
    if isinstance(reduced, np.ufunc) and function.__name__ == "reduce" and len(args) == 1:
        if set(kwargs) <= set(_REDUCE_ORDER):
            given = {**_REDUCE_DEFAULTS, **kwargs}
            return function, (*args, *(given[k] for k in _REDUCE_ORDER)), {}
    return call


def _undispatched(call: Call) -> Call:
    """``call`` of NumPy's own C function where the function is a dispatcher of
    ``__array_function__`` (``np.dot``): the same function without the Python dispatch step
    before it (the recorded operands are the workspace's ndarrays: nothing overrides it)."""
    function, args, kwargs = call
    return getattr(function, "_implementation", function), args, kwargs
