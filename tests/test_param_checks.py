"""NaN or infinity in the parameters is named at every public entry point (NU7 17): the
layer, the parameter and the element, as a :class:`NonFinite` error; the loop checks once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _entries import ENTRIES, WITH_PARAMS

import glassnet as gn
from glassnet.core.validation import NonFinite

BAD = [  # (layer index, parameter, element, value, how the message says it)
    (0, "W", (0, 0), np.nan, "layer 1's W[0, 0] is NaN"),
    (0, "W", (1, 3), np.inf, "layer 1's W[1, 3] is inf"),
    (1, "W", (4, 1), -np.inf, "layer 2's W[4, 1] is -inf"),
    (0, "b", (0, 5), np.nan, "layer 1's b[0, 5] is NaN"),
    (1, "b", (0, 1), np.inf, "layer 2's b[0, 1] is inf"),
]


def _net() -> tuple[gn.Network, Any]:
    net = gn.Network.mlp([2, 8, 2], activation="tanh", output="softmax")
    return net, net.init(np.random.default_rng(0))


X = np.array([[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]])
T = np.eye(2)[[0, 1, 1]]

@pytest.mark.parametrize("entry", WITH_PARAMS)  # tests/_entries.py
@pytest.mark.parametrize(("layer", "name", "index", "value", "said"), BAD)
def test_every_entry_point_names_the_element(
    entry: str, layer: int, name: str, index: tuple[int, int], value: float, said: str
) -> None:
    net, params = _net()
    params[layer][name][index] = value
    with pytest.raises(NonFinite, match=f"non-finite value: {said}".replace("[", r"\[")):
        ENTRIES[entry](net, params, X, T)


def test_lbfgs_checks_the_start() -> None:
    from glassnet.train.lbfgs import fit_lbfgs

    net, params = _net()
    params[1]["W"][2, 0] = np.nan
    with pytest.raises(NonFinite, match=r"layer 2's W\[2, 0\] is NaN"):
        fit_lbfgs(net, params, X, np.array([0, 1, 1]), gn.TrainConfig(epochs=2))


def test_huge_finite_parameters_pass() -> None:
    """A sum that overflows is searched element by element: finite values are not refused."""
    net, params = _net()
    params[0]["W"][:] = 1e308  # the sum overflows; every element is finite
    net.check_inputs(params, X)


def test_checked_once_per_run_not_per_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loop checks the parameters when it starts and then steps through the unchecked
    seam: 20 epochs of 10 steps make one check."""
    from glassnet.core import batch_checks, network
    from glassnet.train import inputs

    calls = []
    real = batch_checks.check_finite_params

    def counted(params: Any) -> None:
        calls.append(1)
        real(params)

    monkeypatch.setattr(network, "check_finite_params", counted)
    monkeypatch.setattr(inputs, "check_finite_params", counted)
    net, params = _net()
    rng = np.random.default_rng(1)
    Xb = rng.normal(size=(100, 2))
    gn.fit(net, params, Xb, (Xb[:, 0] > 0).astype(int), gn.TrainConfig(epochs=20, batch_size=10))
    assert len(calls) == 1


def _fitted() -> gn.MLPClassifier:
    rng = np.random.default_rng(2)
    Xt = rng.normal(size=(40, 2))
    est = gn.MLPClassifier(hidden_layer_sizes=(8,), max_iter=3, random_state=0)
    return est.fit(Xt, (Xt[:, 0] > 0).astype(int))


@pytest.mark.parametrize(("layer", "name", "index"), [(0, "W", (1, 2)), (1, "b", (0, 0))])
def test_models_and_estimators_refuse(layer: int, name: str, index: tuple[int, int]) -> None:
    """A fitted estimator, its Model and the estimator rebuilt from that Model."""
    est = _fitted()
    model = est.to_model()
    model.params[layer][name][index] = np.nan  # the Model's own arrays
    said = f"layer {layer + 1}'s {name}[{index[0]}, {index[1]}] is NaN".replace("[", r"\[")
    with pytest.raises(NonFinite, match=said):
        model.predict(X)
    rebuilt = gn.MLPClassifier.from_model(model)
    target = est.coefs_ if name == "W" else est.intercepts_
    target[layer][index if name == "W" else index[1]] = np.nan
    for method in (est.predict, est.predict_proba, rebuilt.predict, rebuilt.predict_proba):
        with pytest.raises(NonFinite, match=said):
            method(X)


def test_a_damaged_file_is_refused_at_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file's arrays are checked when read: one line naming the array (exit code 1)."""
    from glassnet.cli.main import main
    from glassnet.files.modelfile import ModelFileError

    est = _fitted()
    model = est.to_model()
    model.params[0]["W"][0, 1] = np.nan
    path = gn.files.modelfile.save_model(model, tmp_path / "bad.npz")
    with pytest.raises(ModelFileError, match="layer0_W"):
        gn.load(path)
    (tmp_path / "x.csv").write_text("x0,x1\n1,2\n3,4\n")
    code = main(["predict", "--model", str(path), "--data", str(tmp_path / "x.csv"),
                 "--out", str(tmp_path / "p.csv")])  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 1 and len(err.splitlines()) == 1 and "NaN" in err
