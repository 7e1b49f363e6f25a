"""Matrix products as BLAS's ``gemm``: ``C <- alpha op(A) op(B) + beta C``, in ``C``'s memory.

NumPy's ``dot(A, B, out=C)`` has no ``beta``: a product always overwrites its output. The
BLAS wrappers of scipy (``scipy.linalg.blas.sgemm``/``dgemm``; scipy is an optional
dependency, the extra ``sklearn``) have it, and that lets the compiled step
(:mod:`glassnet.core.fused`) write a momentum rule ``M <- lambda M - mu A^T dZ`` as one
product into the velocity, not a product into the gradient and several passes over it.

BLAS is Fortran: a C-ordered NumPy matrix ``X (r, c)`` is the Fortran matrix ``X^T (c, r)``,
so ``C = A @ B`` is computed as ``C^T = op(B) op(A)`` with each operand passed as a
Fortran-contiguous view (transposed by the flag ``trans`` where its memory is the other
way round): nothing is copied. Every product of a step must then go through the same
library: NumPy and scipy each bring their own BLAS threads, and measured on 2 cores a step
that alternates between the two is several times slower than either alone (the idle
threads of one spin on the cores the other needs).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.core._backend import Call
from glassnet.core._types import Array

DOTS = (np.dot, getattr(np.dot, "_implementation", np.dot), np.matmul)


def gemm_of(dtype: Any) -> Any:
    """scipy's ``gemm`` for float ``dtype`` (``sgemm``, ``dgemm``); None without scipy or for
    another dtype. scipy is imported here, at the first call, never with the package."""
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        return None
    try:
        from scipy.linalg.blas import get_blas_funcs
    except ImportError:
        return None
    return get_blas_funcs("gemm", dtype=dtype)  # (it carries its ``dtype``)


def _fortran(X: Any) -> tuple[Array, int] | None:
    """``(F, trans)`` with ``op(F) = X^T`` and ``F`` Fortran-contiguous; None if neither
    ``X`` nor ``X^T`` is contiguous (the wrapper would copy it)."""
    if not isinstance(X, np.ndarray) or X.ndim != 2:
        return None
    if X.flags.c_contiguous:
        return X.T, 0
    if X.flags.f_contiguous:
        return X, 1
    return None


class Product:
    """``A (n, m) @ B (m, p)`` as ``gemm``: :meth:`call` writes ``beta C + alpha A B`` into ``C``.

    Raises ``ValueError`` when an operand would be copied by the wrapper (not contiguous
    either way round, or of another dtype than ``gemm``'s)."""

    def __init__(self, gemm: Any, A: Array, B: Array) -> None:
        a, b = _fortran(B), _fortran(A)  # C^T = op(B^T-view) op(A^T-view)
        dtype = np.dtype(gemm.dtype)
        if a is None or b is None or A.dtype != dtype or B.dtype != dtype:
            raise ValueError("operands that gemm would copy")
        self.gemm, (self.a, self.trans_a), (self.b, self.trans_b) = gemm, a, b
        self.shape = (A.shape[0], B.shape[1])

    def call(self, C: Array, alpha: float = 1.0, beta: float = 0.0) -> Call:
        """The call ``C <- alpha A B + beta C`` (to replay), checked once: ``C (n, p)``
        C-contiguous, written in place."""
        if C.shape != self.shape or C.dtype != self.a.dtype or not C.flags.c_contiguous:
            raise ValueError(f"gemm cannot write a {C.shape} {C.dtype} buffer in place")
        args = (alpha, self.a, self.b, beta, C.T, self.trans_a, self.trans_b, 1)
        return self.gemm, args, {}

    def into(self, C: Array, alpha: float, beta: float) -> None:
        """``C <- alpha A B + beta C`` now; ``RuntimeError`` if ``C`` was not written in
        place (the wrapper copies a buffer that is not C-contiguous or of another dtype)."""
        out = self.gemm(alpha, self.a, self.b, beta, C.T, self.trans_a, self.trans_b, 1)
        if out.ctypes.data != C.ctypes.data:
            raise RuntimeError("gemm wrote a copy of its output buffer")


def as_gemm(call: Call, gemm: Any) -> Call:
    """A recorded ``dot(A, B, out)`` (or ``matmul``) of matrices as the same product through
    ``gemm`` (``beta = 0``: ``out`` is overwritten, whatever it held); any other call, or one
    whose operands ``gemm`` would copy, as it is."""
    function, args, kwargs = call
    if function not in DOTS or len(args) != 3 or kwargs:
        return call
    A, B, C = args
    try:
        return Product(gemm, A, B).call(C)
    except (ValueError, AttributeError):
        return call
