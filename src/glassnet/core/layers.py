"""The dense (affine) layer: ``Z = X @ W + b``.

A :class:`Dense` object holds only its sizes. Its parameters are a plain dict
``{"W": (n_in, n_out), "b": (1, n_out)}`` passed in and returned, never stored,
so a second forward pass can never corrupt the cache of a first.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal, overload

import numpy as np
from numpy.typing import DTypeLike

from glassnet.core._backend import into, namespace
from glassnet.core._types import Array, Params

InitMethod = Literal["glorot", "he"]


def matmul(A: Array, B: Array, out: Array | None = None) -> Array:
    """The dense layer's product ``A (..., n, m) @ B (..., m, p) -> (..., n, p)``.

    For one network the leading ``...`` is empty: ``xp.matmul``. A population of ``K``
    networks (:mod:`glassnet.core.population`) stacks its members on a leading axis,
    ``(K, n, m)``, and a shared batch ``(n, m)`` broadcasts against it. Where the member axis
    is innermost in memory (tiny layers, see :class:`glassnet.core.workspace.Workspace`)
    the product is ``np.einsum``, which then runs its inner loop over the members; measured
    there it beats ``np.matmul``'s loop over thousands of 3 x 2 matrices several times over.
    """
    xp = namespace(A, B)
    if isinstance(B, np.ndarray) and B.ndim == 3 and B.strides[0] == B.itemsize:
        return xp.einsum("...ij,...jk->...ik", A, B, **into(out))
    if type(A) is np.ndarray and type(B) is np.ndarray and A.ndim == B.ndim == 2:
        return xp.dot(A, B, **into(out))  # the same product; NumPy's dot calls cost less
    return xp.matmul(A, B, **into(out))


@dataclass(frozen=True)
class Dense:
    """Fully connected layer mapping ``n_in`` features to ``n_out`` pre-activations."""

    n_in: int
    n_out: int

    def __post_init__(self) -> None:
        for name in ("n_in", "n_out"):
            value = getattr(self, name)
            if not isinstance(value, int | np.integer) or value < 1:
                raise ValueError(f"Dense.{name} must be a positive integer, got {value!r}")

    @property
    def n_params(self) -> int:
        return self.n_in * self.n_out + self.n_out

    def init(
        self,
        rng: np.random.Generator,
        method: InitMethod = "glorot",
        dtype: DTypeLike = np.float64,
    ) -> Params:
        """Random weights and zero biases.

        ``glorot``: ``W ~ U(-a, a)`` with ``a = sqrt(6 / (n_in + n_out))`` (Glorot and
        Bengio, 2010), for logistic, tanh and identity units. ``he``:
        ``W ~ N(0, 2 / n_in)`` (He et al., 2015), for ReLU units.
        """
        if method == "glorot":
            a = np.sqrt(6.0 / (self.n_in + self.n_out))
            W = rng.uniform(-a, a, size=(self.n_in, self.n_out))
        elif method == "he":
            W = rng.normal(0.0, np.sqrt(2.0 / self.n_in), size=(self.n_in, self.n_out))
        else:
            raise ValueError(f"unknown init method {method!r}; expected 'glorot' or 'he'")
        return {"W": W.astype(dtype), "b": np.zeros((1, self.n_out), dtype=dtype)}

    def forward(
        self, params: Params, X: Array, out: Array | None = None, scratch: Array | None = None
    ) -> tuple[Array, Array]:
        """``Z (N, n_out) = X (N, n_in) @ W (n_in, n_out) + b (1, n_out)``; the cache is ``X``.

        ``out (N, n_out)``: where to write ``Z`` (allocated when not given); ``scratch`` of
        that shape holds ``X W`` (else ``out`` does, and ``b`` is added in place).
        A population's stacked parameters ``W (K, n_in, n_out)``, ``b (K, 1, n_out)`` give
        ``Z (K, N, n_out)`` from ``X (N, n_in)`` or ``(K, N, n_in)``.
        """
        xp = namespace(X, params["W"])
        XW = matmul(X, params["W"], scratch if scratch is not None else out)
        return xp.add(XW, params["b"], **into(out)), X

    def param_grads(self, dZ: Array, cache: Array, out: Params | None = None) -> Params:
        """The parameter gradients from the upstream error ``dZ (N, n_out)``.

        Chain rule through ``Z = X W + b``: ``dW (n_in, n_out) = X^T dZ`` and
        ``db (1, n_out) = sum_n dZ``, with ``X (N, n_in)`` the cache of :meth:`forward` (the
        transposes and the sum over samples act on the last two axes, so a population's
        stacked members work alike). ``out`` (a ``{"W", "b"}`` dict of buffers) receives them
        when given. The first layer needs only these: its input error would go nowhere.
        """
        X, xp = cache, namespace(dZ, cache)
        ones = xp.ones((1, dZ.shape[-2]), dtype=dZ.dtype)  # (1, N): db = 1^T dZ = sum_n dZ
        return {
            "W": matmul(X.mT, dZ, None if out is None else out["W"]),
            "b": matmul(ones, dZ, None if out is None else out["b"]),
        }

    @overload
    def backward(
        self,
        dZ: Array,
        cache: Array,
        params: Params,
        *,
        out: Params | None = None,
        dX_out: Array | None = None,
    ) -> tuple[Array, Params]: ...

    @overload
    def backward(
        self,
        dZ: Array,
        cache: Array,
        params: Params,
        input_grad: bool,
        out: Params | None = None,
        dX_out: Array | None = None,
    ) -> tuple[Array | None, Params]: ...

    def backward(
        self,
        dZ: Array,
        cache: Array,
        params: Params,
        input_grad: bool | None = None,
        out: Params | None = None,
        dX_out: Array | None = None,
    ) -> tuple[Array | None, Params]:
        """The input error and the parameter gradients from the upstream error ``dZ (N, n_out)``.

        Returns ``(dX, grads)``: ``dX (N, n_in) = dZ W^T``, the error passed down to the layer
        below, and :meth:`param_grads`. ``out`` (a ``{"W", "b"}`` dict of buffers) and
        ``dX_out (N, n_in)`` receive the results when given.

        ``input_grad`` is deprecated (since 0.2.0): ``input_grad=False`` returned ``None`` for
        ``dX``; call :meth:`param_grads` for the parameter gradients alone.
        """
        if input_grad is not None:
            warnings.warn(
                "Dense.backward(input_grad=...) is deprecated: backward always returns the "
                "input error dX; call Dense.param_grads(dZ, cache) for the gradients alone",
                DeprecationWarning,
                stacklevel=2,
            )
            if not input_grad:
                return None, self.param_grads(dZ, cache, out)
        grads = self.param_grads(dZ, cache, out)
        return matmul(dZ, params["W"].mT, dX_out), grads  # dX = dZ W^T
