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


class GradientCheckInconclusive(ValueError):
    """Raised (with ``raise_on_failure``) when a gradient check cannot judge: the central
    differences' own error exceeds the tolerance (``eps`` too small or too large, or the
    tolerance too tight); carries the report, and its first line says which."""

    def __init__(self, report: GradientReport) -> None:
        super().__init__(f"gradient check {report.diagnosis()}\n" + report.format())
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
    n_off: int = 0  # elements off by more than the tolerance (failed or unresolved)
    n_unresolved: int = 0  # of those, off by no more than the difference's own error
    roundoff: float = 0.0  # the largest round-off estimate of an unresolved element
    truncation: float = 0.0  # the largest truncation estimate of an unresolved element

    @property
    def failed(self) -> bool:
        """Whether an element is off by more than the tolerance and the difference's own
        error: the gradient is wrong there (``passed`` is False for unresolved ones too)."""
        return not self.passed and (self.n_unresolved == 0 or self.n_off > self.n_unresolved)


@dataclass(frozen=True)
class GradientReport:
    """Per-parameter results and the tolerance they were judged by."""

    checks: tuple[ParamCheck, ...]
    eps: float
    rtol: float
    atol: float

    @property
    def passed(self) -> bool:
        """Every element judged is within the tolerance."""
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> bool:
        """Some element is off by more than the tolerance and the difference's own error."""
        return any(c.failed for c in self.checks)

    @property
    def inconclusive(self) -> bool:
        """Not passed, but no element failed: those off are within the difference's own
        error (round-off or truncation), so the check cannot judge them."""
        return not self.passed and not self.failed

    @property
    def verdict(self) -> str:
        """``"passed"``, ``"FAILED"`` or ``"inconclusive"``."""
        return "passed" if self.passed else "FAILED" if self.failed else "inconclusive"

    def diagnosis(self) -> str:
        """Why the check is inconclusive, and what to try (``""`` when it is not)."""
        from glassnet.core.finite_differences import SUGGESTED

        if not self.inconclusive:
            return ""
        rounding = max(c.roundoff for c in self.checks)
        trunc = max(c.truncation for c in self.checks)
        if rounding >= trunc and self.eps < 1e-7:
            return f"inconclusive: eps too small for float64 round-off; {SUGGESTED}"
        if trunc > rounding and self.eps > 1e-5:
            return ("inconclusive: eps too large: the central differences' truncation error "
                    f"(it grows as eps**2) exceeds the tolerance; {SUGGESTED}")  # fmt: skip
        return (f"inconclusive: the tolerance (rtol={self.rtol:g}, atol={self.atol:g}) is "
                "below the central differences' own float64 error here "
                f"(up to {max(rounding, trunc):.2g}); raise rtol or atol")  # fmt: skip

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
                f"{c.max_rel_error:>12.3e}  {str(c.worst_index):<8} {_ok(c)}"
            )
        rule = (f"central differences, eps={self.eps:g}; an element passes when |num - ana| "
                f"<= {self.atol:g} + {self.rtol:g} * max(|num|, |ana|)")  # fmt: skip
        if self.inconclusive:
            return "\n".join([*rows, *self._notes(), f"gradient check {self.diagnosis()} ({rule})"])
        return "\n".join([*rows, *self._notes(), f"gradient check {self.verdict}: {rule}"])

    def _notes(self) -> list[str]:
        """Lines on elements not judged: at a kink, unresolved, or not chosen."""
        rows = []
        kinked = [c for c in self.checks if c.n_kinks]
        if kinked:
            counts = ", ".join(f"layer {c.layer + 1} {c.name}: {c.n_kinks}" for c in kinked)
            rows.append(
                f"kinks (not judged; +-eps moves a ReLU input across 0, where the slope "
                f"jumps): {counts}"
            )
        unsure = [c for c in self.checks if c.n_unresolved]
        if unsure:
            counts = ", ".join(f"layer {c.layer + 1} {c.name}: {c.n_unresolved}" for c in unsure)
            sizes = (f"round-off up to {max(c.roundoff for c in unsure):.2g}, truncation up to "
                     f"{max(c.truncation for c in unsure):.2g}")  # fmt: skip
            rows.append(f"unresolved (not judged; off by no more than the central difference's "
                        f"own error, {sizes}): {counts}")  # fmt: skip
        sampled = [c for c in self.checks if c.n_checked < int(np.prod(c.shape))]
        if sampled:
            counts = ", ".join(
                f"layer {c.layer + 1} {c.name}: {c.n_checked} of {int(np.prod(c.shape))}"
                for c in sampled
            )
            rows.append(f"elements checked (a seeded random choice): {counts}")
        return rows

    def _repr_html_(self) -> str:
        """Jupyter's display: the per-parameter table, failing parameters marked."""
        from glassnet.core._repr import html_table

        rows = [
            [c.layer + 1, c.name, str(c.shape), f"{c.max_abs_error:.3e}", f"{c.max_rel_error:.3e}",
             str(c.worst_index), "yes" if c.passed else "\u2717 NO" if c.failed else "unresolved"]
            for c in self.checks
        ]  # fmt: skip
        header = ["layer", "param", "shape", "max abs err", "max rel err", "worst", "ok"]
        footer = (
            f"central differences, eps={self.eps:g}; an element passes when "
            f"|num - ana| <= {self.atol:g} + {self.rtol:g} * max(|num|, |ana|)"
        )
        footer = f"{self.diagnosis()} ({footer})" if self.inconclusive else footer
        failed = [not c.passed for c in self.checks]
        return html_table(f"Gradient check {self.verdict}", header, rows, failed, footer)

    def as_dict(self) -> dict[str, object]:
        return {
            "passed": self.passed,
            "verdict": self.verdict,
            "diagnosis": self.diagnosis(),
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
                    "unresolved": c.n_unresolved,
                }
                for c in self.checks
            ],
        }


def _ok(c: ParamCheck) -> str:
    """The table's verdict for one parameter: ``yes``, ``NO``, or ``unresolved``."""
    return "yes" if c.passed else "NO" if c.failed else "unresolved"
