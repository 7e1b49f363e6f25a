"""Matrix products as BLAS's ``gemm``: ``C <- alpha op(A) op(B) + beta C``, in ``C``'s memory.

NumPy's ``dot(A, B, out=C)`` has no ``beta``: a product always overwrites its output. The
BLAS library NumPy itself calls has it, which lets the compiled step
(:mod:`glassnet.core.fused`) write a momentum rule ``M <- lambda M - mu A^T dZ`` as one
product into the velocity, not a product into the gradient and several passes over it.

:func:`gemm_of` finds that library's ``cblas_?gemm`` (row-major: NumPy's own layout, no
copies) where NumPy ships it, as the OpenBLAS of NumPy's wheels
(``numpy.libs/libscipy_openblas64_*.so``, symbols ``scipy_cblas_sgemm64_`` and
``scipy_cblas_dgemm64_``, 64-bit integers), and calls it through :mod:`ctypes`; for other
NumPy builds it finds nothing and the step keeps NumPy's products. It must be NumPy's
library, not another (scipy's bundled OpenBLAS): each brings its own BLAS threads, and a
step that alternates between two is several times slower on 2 cores (measured: the idle
threads of one spin on the cores the other needs).
"""

from __future__ import annotations

import ctypes
import functools
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.core._types import Array

DOTS = (np.dot, getattr(np.dot, "_implementation", np.dot), np.matmul)
_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112  # the cblas enums
_LIBRARY_GLOB = "libscipy_openblas64_*.so*"
_SYMBOLS = {"float32": "scipy_cblas_sgemm64_", "float64": "scipy_cblas_dgemm64_"}


@functools.cache
def gemm_of(dtype: Any) -> Any:
    """NumPy's own ``cblas_?gemm`` for float ``dtype`` as a :mod:`ctypes` function; None
    where this NumPy build ships no such library (see the module docstring)."""
    name = _SYMBOLS.get(np.dtype(dtype).name)
    libs = sorted((Path(np.__file__).parent.parent / "numpy.libs").glob(_LIBRARY_GLOB))
    if name is None or not libs:
        return None
    try:
        function = getattr(ctypes.CDLL(str(libs[0])), name)
    except (OSError, AttributeError):
        return None
    real = ctypes.c_float if np.dtype(dtype) == np.float32 else ctypes.c_double
    i, n, p = ctypes.c_int, ctypes.c_int64, ctypes.c_void_p
    function.argtypes = [i, i, i, n, n, n, real, p, n, p, n, real, p, n]
    function.restype = None
    function.dtype = np.dtype(dtype)
    return function


def _operand(X: Any) -> tuple[int, int] | None:
    """``(trans, leading dimension)`` of a matrix in row-major cblas terms; None unless
    ``X`` or ``X^T`` is C-contiguous (unit stride along its rows)."""
    if not isinstance(X, np.ndarray) or X.ndim != 2:
        return None
    item = X.itemsize
    if X.strides[1] == item and X.strides[0] >= item * X.shape[1]:
        return _NO_TRANS, X.strides[0] // item
    if X.strides[0] == item and X.strides[1] >= item * X.shape[0]:
        return _TRANS, X.strides[1] // item
    return None


class Product:
    """``A (n, m) @ B (m, p)`` as ``gemm``: :meth:`into` writes ``beta C + alpha A B`` into
    ``C``. The operands are bound by address: they must live as long as the product (the
    workspace's buffers). Raises ``ValueError`` for operands ``gemm`` cannot read in place."""

    def __init__(self, gemm: Any, A: Array, B: Array) -> None:
        a, b = _operand(A), _operand(B)
        if a is None or b is None or not A.dtype == B.dtype == gemm.dtype:
            raise ValueError("operands that gemm cannot read in place")
        self.gemm, self.operands = gemm, (A, B)  # (kept alive)
        (n, m), p = A.shape, B.shape[1]
        self.shape = (n, p)
        self._args = (a[0], b[0], n, p, m)
        self._a, self._b = (A.ctypes.data, a[1]), (B.ctypes.data, b[1])

    def into(self, C: Array, alpha: float, beta: float) -> None:
        """``C <- alpha A B + beta C`` (``C (n, p)`` C-contiguous, of the operands' dtype)."""
        if C.shape != self.shape or C.dtype != self.gemm.dtype or not C.flags.c_contiguous:
            raise ValueError(f"gemm cannot write a {C.shape} {C.dtype} buffer in place")
        self.gemm(_ROW_MAJOR, *self._args, alpha, *self._a, *self._b, beta, C.ctypes.data,
                  self.shape[1])  # fmt: skip
