"""from_model of a model file that ``glassnet train`` wrote (NU10 #10): the estimator's
parameters describe the CLI's recipe, its record comes from the run summary, and the
recipe settings with no estimator argument are named in one warning."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

import glassnet
from glassnet.cli.main import main
from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor


def _table(path, y):
    X = np.random.default_rng(0).normal(size=(len(y), 3))
    rows = ["a,b,c,target"] + [",".join(map(str, [*r, t])) for r, t in zip(X, y, strict=True)]
    path.write_text("\n".join(rows) + "\n")
    return X


def _train(tmp_path, y, *extra):
    X = _table(tmp_path / "d.csv", y)
    out = tmp_path / "run1" / "model.npz"
    args = ["train", "--data", str(tmp_path / "d.csv"), "--target", "target"]
    main([*args, "--out", str(out), "--epochs", "3", "--hidden", "5,4", *extra])
    return X, glassnet.load(out)


def test_classifier_from_cli_model_takes_the_recipe(tmp_path, capsys):
    y = np.arange(30) % 3
    X, model = _train(tmp_path, y, "--optimizer", "nesterov", "--lr", "0.02", "--momentum", "0.5")
    capsys.readouterr()
    with pytest.warns(UserWarning, match="from_model") as record:
        est = MLPClassifier.from_model(model)
    assert [str(w.message) for w in record] == [
        "MLPClassifier.from_model: glassnet train's --val-fraction 0.2 --patience 20 have no "
        "equal estimator argument, so a refit of this estimator trains without them"
    ]  # the options as the user types them (NU11 #6)
    recipe = model.settings
    params = est.get_params()
    assert params["hidden_layer_sizes"] == (5, 4) == tuple(recipe["hidden"])
    assert (params["solver"], params["momentum"], params["nesterovs_momentum"]) == (
        "sgd",
        0.5,
        True,
    )
    assert params["learning_rate_init"] == recipe["learning_rate"] == 0.02
    assert params["max_iter"] == recipe["epochs"] == 3
    assert params["standardize"] is True and recipe["standardize"] is True
    assert params["activation"] == recipe["activation"]
    assert params["batch_size"] == recipe["batch_size"]
    assert params["random_state"] == recipe["seed"]
    assert params["alpha"] == 0.0 == recipe["weight_decay"]
    assert est.n_iter_ == recipe["run"]["epochs"] == 3
    assert est.stop_reason_ == recipe["run"]["stop_reason"]
    with pytest.warns(UserWarning, match="Got `batch_size`"):  # the CLI's 32 > 30 rows
        refit = clone(est).fit(X, y)  # the refit trains the same architecture
    assert [w.shape for w in refit.coefs_] == [w.shape for w in est.coefs_]
    assert [w.shape for w in est.coefs_] == [(3, 5), (5, 4), (4, 3)]


def test_binary_cli_model_names_its_softmax_head(tmp_path, capsys):
    _, model = _train(tmp_path, np.arange(30) % 2, "--val-fraction", "0")
    capsys.readouterr()
    with pytest.warns(UserWarning, match="the model's 2-unit softmax output layer") as record:
        est = MLPClassifier.from_model(model)
    assert len(record) == 1 and "--val-fraction" not in str(record[0].message)
    assert str(record[0].message).endswith(" has no equal estimator argument, so a refit of "
                                           "this estimator trains without it")  # fmt: skip
    assert est.get_params()["solver"] == "adam"


def test_the_warning_names_the_options_the_user_typed(tmp_path, capsys):
    options = ["--weight-decay", "0.01", "--test-fraction", "0.2", "--init-seed", "3"]
    _, model = _train(tmp_path, np.arange(40) % 3, *options, "--patience", "0")
    capsys.readouterr()
    with pytest.warns(UserWarning, match="from_model") as record:
        MLPClassifier.from_model(model)
    message = str(record[0].message)
    assert "glassnet train's --weight-decay 0.01 --init-seed 3 --test-fraction 0.2 " in message
    assert "--val-fraction 0.2 --patience 0 have no equal estimator argument" in message
    for internal in ("weight_decay", "test_size", "init_seed", "val_size", "="):
        assert internal not in message


def test_regressor_from_cli_model(tmp_path, capsys):
    y = np.linspace(0.0, 1.0, 30)
    _, model = _train(tmp_path, y, "--task", "regression", "--val-fraction", "0")
    capsys.readouterr()
    est = MLPRegressor.from_model(model)  # no setting differs: no warning (errors raised)
    assert est.get_params()["hidden_layer_sizes"] == (5, 4)
    assert est.get_params()["standardize_target"] == model.settings["standardize_target"]
    assert est.n_iter_ == 3


def test_estimator_files_still_round_trip(tmp_path):
    X = np.random.default_rng(1).normal(size=(20, 3))
    y = np.arange(20) % 2
    est = MLPClassifier((3,), max_iter=2, random_state=0, alpha=0.01, standardize=True).fit(X, y)
    back = MLPClassifier.from_model(glassnet.load(est.save(tmp_path / "m.npz")))
    assert back.get_params() == est.get_params()
    assert back.n_iter_ == est.n_iter_ and back.loss_curve_ == est.loss_curve_
