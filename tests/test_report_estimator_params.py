"""The report's Settings table shows an estimator's stored parameters as they were given
(NU13 #13), whatever the model file's tag for them: a NumPy type as ``numpy.float32``
(not ``{'dtype': 'float32'}``), sizes given as a tuple, a list or an array as ``5, 3``, a
schedule object by its name and constants. Oracle: the values passed to the constructor,
which ``from_model`` gives back equal."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _report_rows import settings_table

pytest.importorskip("sklearn")

import glassnet as gn  # noqa: E402
from glassnet.cli.main import main  # noqa: E402
from glassnet.core.schedules import ExponentialDecay, StepDecay  # noqa: E402
from glassnet.views.report_settings import settings_rows  # noqa: E402

CASES = {  # constructor arguments -> the rows expected
    "float32 type, tuple, step": (
        {"dtype": np.float32, "hidden_layer_sizes": (5, 3), "schedule": StepDecay(2, 0.25)},
        {"dtype": "numpy.float32", "hidden_layer_sizes": "5, 3",
         "schedule": "step (every 2, gamma 0.25)"}),
    "float64 type, array": (
        {"dtype": np.float64, "hidden_layer_sizes": np.array([4, 2])},
        {"dtype": "numpy.float64", "hidden_layer_sizes": "4, 2", "schedule": "None"}),
    "string dtype, list, exponential": (
        {"dtype": "float32", "hidden_layer_sizes": [6],
         "schedule": ExponentialDecay(gamma=0.9)},
        {"dtype": "float32", "hidden_layer_sizes": "6", "schedule": "exponential (gamma 0.9)"}),
    "named schedule, int sizes": (
        {"hidden_layer_sizes": 3, "schedule": "step", "alpha": 0.5},
        {"dtype": "None", "hidden_layer_sizes": "3", "schedule": "step", "alpha": "0.5"}),
}  # fmt: skip


def _table(tmp_path, n=60):
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(n, 3)), columns=["a", "b", "c"])
    df["label"] = np.where(df.a - df.b > 0, "yes", "no")
    df.to_csv(tmp_path / "d.csv", index=False)
    return df


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_glassnet_report_shows_the_parameters_as_given(tmp_path, capsys, case, kind):
    params, expected = CASES[case]
    df = _table(tmp_path)
    X, target = df[["a", "b", "c"]], "label" if kind == "classifier" else "c"
    if kind == "regressor":
        X = df[["a", "b"]]
    cls = gn.MLPClassifier if kind == "classifier" else gn.MLPRegressor
    est = cls(max_iter=3, random_state=0, **params).fit(X, df[target])
    est.save(tmp_path / "est.npz")
    again = cls.from_model(gn.load(tmp_path / "est.npz")).get_params()
    for name, value in params.items():  # the file keeps each value (the oracle's premise)
        assert type(again[name]) is type(value) and str(again[name]) == str(value)
    out = tmp_path / "report.html"
    data = tmp_path / "d.csv"
    if kind == "regressor":
        pd.read_csv(data).drop(columns="label").to_csv(data, index=False)
    assert main(["report", "--model", str(tmp_path / "est.npz"), "--data", str(data),
                 "--target", target, "--out", str(out)]) == 0  # fmt: skip
    capsys.readouterr()
    table = settings_table(out.read_text())
    assert {k: table[k] for k in expected} == expected
    assert not any("{" in v for v in table.values())  # no tag of the file's leaks


def test_an_unknown_tag_is_shown_as_stored():
    rows = dict(settings_rows({"estimator": "MLPClassifier",
                               "params": {"x": {"other": 1}, "e": {"tuple": []}}}))  # fmt: skip
    assert rows["x"] == "{'other': 1}" and rows["e"] == "none"
