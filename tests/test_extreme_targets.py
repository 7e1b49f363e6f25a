"""Regression targets of any finite scale train and are reported without overflow: where a
loss in the targets' units (the standardized loss times ``scale**2``) would leave float64's
range (targets spread over 1e160, 1e300, -1e300 offsets, spreads of 1e-300), the losses stay
those of the standardized targets and say so; RMSE, MAE and R^2 are computed in units of a
power of two. The oracle is the same run on unit-sized targets: the standardized targets
are the same numbers (on the grid of ``scaled_targets``), so the training is the same."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest

pytest.importorskip("sklearn")

from glassnet import MLPRegressor  # noqa: E402
from glassnet.cli.main import main  # noqa: E402
from glassnet.data.preprocessing import (  # noqa: E402
    LOSS_IN_UNITS,
    LOSS_STANDARDIZED_SCALE,
    Standardizer,
    loss_name,
    loss_unit,
)
from glassnet.files.modelfile import load_model  # noqa: E402
from glassnet.views.metrics import RegressionScores  # noqa: E402

EXTREMES = [(1e160, 0.0), (1e200, 3e200), (1e300, 0.0), (1e297, -1e300), (1e-300, 2e-300)]


def _data(scale: float, offset: float, n: int = 120):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(n, 2))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1]  # spread about 1
    return X, y * scale + offset, y


@pytest.mark.parametrize(
    ("scale", "in_units"),
    [(1e160, False), (1e200, False), (1e-300, False), (1e-100, False), (1e30, True), (0.5, True)],
)
def test_the_loss_unit_is_safe_or_absent(scale, in_units):
    s = Standardizer(np.zeros(1), np.array([scale]))
    assert (loss_name(s) == LOSS_IN_UNITS) == in_units
    assert loss_unit(s) == (scale * scale if in_units else 1.0)
    if not in_units:
        assert loss_name(s) == LOSS_STANDARDIZED_SCALE


@pytest.mark.parametrize(("scale", "offset"), [(1e300, 0.0), (1e297, -1e300), (1e-300, 0.0)])
def test_regression_scores_of_extreme_values(scale, offset):
    rng = np.random.default_rng(0)
    T, P = rng.normal(size=(50, 2)), rng.normal(size=(50, 2))
    ref = RegressionScores.of(P, T)
    got = RegressionScores.of(P * scale + offset, T * scale + offset)
    np.testing.assert_allclose(got.rmse, ref.rmse * scale, rtol=1e-9)
    np.testing.assert_allclose(got.mae, ref.mae * scale, rtol=1e-9)
    np.testing.assert_allclose(got.r2, ref.r2, rtol=1e-9 if offset == 0 else 1e-3)


@pytest.mark.parametrize(("scale", "offset"), EXTREMES)
@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_the_estimator_fits_targets_of_any_scale(scale, offset, solver):
    X, y, unit_y = _data(scale, offset)
    kw = {"hidden_layer_sizes": (8,), "max_iter": 8, "random_state": 0, "solver": solver}
    ref = MLPRegressor(**kw).fit(X, unit_y)
    est = MLPRegressor(**kw).fit(X, y)
    assert est.history_.loss_unit == LOSS_STANDARDIZED_SCALE
    assert np.all(np.isfinite(est.loss_curve_))
    np.testing.assert_allclose(
        est.loss_curve_, np.divide(ref.loss_curve_, loss_unit(ref.target_scaler_)), rtol=1e-6
    )
    np.testing.assert_allclose((est.predict(X) - offset) / scale, ref.predict(X), rtol=1e-6,
                               atol=1e-6)  # fmt: skip


@pytest.mark.parametrize(("scale", "offset"), [(1e300, 0.0), (1e297, -1e300), (1e-300, 2e-300)])
def test_the_cli_trains_evaluates_and_reports_extreme_targets(tmp_path, capsys, scale, offset):
    X, y, unit_y = _data(scale, offset)
    runs = {}
    for name, t in [("unit", unit_y), ("extreme", y)]:
        np.savez(tmp_path / f"{name}.npz", X=X, y=t)
        out = tmp_path / name / "model.npz"
        argv = ["train", "--data", str(tmp_path / f"{name}.npz"), "--task", "regression",
                "--hidden", "8", "--epochs", "4", "--progress", "off"]  # fmt: skip
        argv += ["--out", str(out)]
        assert main(argv) == 0
        console = capsys.readouterr().out
        text = (out.parent / "history.json").read_text()
        assert "NaN" not in text and "Infinity" not in text
        data = ["--data", str(tmp_path / f"{name}.npz"), "--target", "y"]
        assert main(["evaluate", "--model", str(out), *data]) == 0
        evaluated = capsys.readouterr().out
        page = tmp_path / name / "again.html"
        assert main(["report", "--model", str(out), *data, "--out", str(page)]) == 0
        capsys.readouterr()
        runs[name] = (json.loads(text), console, evaluated, load_model(out), page.read_text())
    (ref, _, ref_eval, ref_model, _), (got, console, evaluated, model, page) = runs.values()
    factor = loss_unit(ref_model.target_scaler)
    assert got["loss_unit"] == LOSS_STANDARDIZED_SCALE and "out of float range" in console
    np.testing.assert_allclose(got["loss"], np.divide(ref["loss"], factor), rtol=1e-6)
    np.testing.assert_allclose(got["val_loss"], np.divide(ref["val_loss"], factor), rtol=1e-6)
    assert got["final"]["train"]["loss"] == pytest.approx(
        ref["final"]["train"]["loss"] / factor, rel=1e-6
    )
    assert LOSS_STANDARDIZED_SCALE in evaluated and "nan" not in evaluated.lower()
    rmse = float(evaluated.split("RMSE ")[1].split()[0])
    r2 = float(evaluated.split("R^2 ")[1].split()[0])
    by_hand = RegressionScores.of((model.predict(X) - offset) / scale, unit_y)
    assert rmse == pytest.approx(by_hand.rmse[0] * scale, rel=1e-5)
    assert r2 == pytest.approx(float(ref_eval.split("R^2 ")[1].split()[0]), abs=2e-4)
    words = re.sub(r"data:image/png;base64,[^\"']*", "", page)  # the text, not the images
    assert not re.search(r"\b(nan|inf|infinity)\b", words, re.IGNORECASE)
    assert LOSS_STANDARDIZED_SCALE in html.unescape(words)
