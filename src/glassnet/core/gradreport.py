"""The report of a gradient check (:mod:`glassnet.core.gradcheck`): per-parameter errors,
the tolerance they were judged by, and the verdict, as text, HTML or a dict."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class GradientCheckError(AssertionError):
    """Raised when a gradient check fails; carries the report."""

    def __init__(self, report: GradientReport) -> None:
        super().__init__("gradient check failed:\n" + report.format())
        self.report = report


@dataclass(frozen=True)
class ParamCheck:
    """The check of one parameter array."""

    layer: int
    name: str
    shape: tuple[int, ...]
    max_abs_error: float
    max_rel_error: float
    worst_index: tuple[int, ...]
    passed: bool
    n_checked: int = 0  # elements checked (all of them unless the check was capped)
    n_kinks: int = 0  # elements whose +-eps straddles a kink (not judged)


@dataclass(frozen=True)
class GradientReport:
    """Per-parameter results and the tolerance they were judged by."""

    checks: tuple[ParamCheck, ...]
    eps: float
    rtol: float
    atol: float

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def max_relative_error(self) -> float:
        return max((c.max_rel_error for c in self.checks), default=0.0)

    @property
    def max_absolute_error(self) -> float:
        return max((c.max_abs_error for c in self.checks), default=0.0)

    def format(self) -> str:
        """A table, one row per parameter, and the verdict (layers numbered from 1, as in
        the report; ``ParameterCheck.layer`` is the 0-based index into the parameters)."""
        head = f"{'layer':>5}  {'param':<5} {'shape':<10} {'max abs err':>12} "
        head += f"{'max rel err':>12}  {'worst':<8} ok"
        rows = [head]
        for c in self.checks:
            rows.append(
                f"{c.layer + 1:>5}  {c.name:<5} {str(c.shape):<10} {c.max_abs_error:>12.3e} "
                f"{c.max_rel_error:>12.3e}  {str(c.worst_index):<8} {'yes' if c.passed else 'NO'}"
            )
        verdict = "passed" if self.passed else "FAILED"
        kinked = [c for c in self.checks if c.n_kinks]
        if kinked:
            counts = ", ".join(f"layer {c.layer + 1} {c.name}: {c.n_kinks}" for c in kinked)
            rows.append(
                f"kinks (not judged; +-eps moves a ReLU input across 0, where the slope "
                f"jumps): {counts}"
            )
        sampled = [c for c in self.checks if c.n_checked < int(np.prod(c.shape))]
        if sampled:
            counts = ", ".join(
                f"layer {c.layer + 1} {c.name}: {c.n_checked} of {int(np.prod(c.shape))}"
                for c in sampled
            )
            rows.append(f"elements checked (a seeded random choice): {counts}")
        rows.append(
            f"gradient check {verdict}: central differences, eps={self.eps:g}; an element passes "
            f"when |num - ana| <= {self.atol:g} + {self.rtol:g} * max(|num|, |ana|)"
        )
        return "\n".join(rows)

    def _repr_html_(self) -> str:
        """Jupyter's display: the per-parameter table, failing parameters marked."""
        from glassnet.core._repr import html_table

        rows = [
            [c.layer + 1, c.name, str(c.shape), f"{c.max_abs_error:.3e}", f"{c.max_rel_error:.3e}",
             str(c.worst_index), "yes" if c.passed else "\u2717 NO"]
            for c in self.checks
        ]  # fmt: skip
        header = ["layer", "param", "shape", "max abs err", "max rel err", "worst", "ok"]
        verdict = "passed" if self.passed else "FAILED"
        footer = (
            f"central differences, eps={self.eps:g}; an element passes when "
            f"|num - ana| <= {self.atol:g} + {self.rtol:g} * max(|num|, |ana|)"
        )
        failed = [not c.passed for c in self.checks]
        return html_table(f"Gradient check {verdict}", header, rows, failed, footer)

    def as_dict(self) -> dict[str, object]:
        return {
            "passed": self.passed,
            "max_relative_error": self.max_relative_error,
            "max_absolute_error": self.max_absolute_error,
            "eps": self.eps,
            "rtol": self.rtol,
            "atol": self.atol,
            "parameters": [
                {
                    "layer": c.layer,
                    "name": c.name,
                    "shape": list(c.shape),
                    "max_abs_error": c.max_abs_error,
                    "max_rel_error": c.max_rel_error,
                    "worst_index": list(c.worst_index),
                    "passed": c.passed,
                    "elements_checked": c.n_checked,
                    "kinks": c.n_kinks,
                }
                for c in self.checks
            ],
        }
