"""fit's one-time data check: targets shaped for the head, arrays as every core entry
takes them, and one_hot of labels that are not whole numbers (NU14 #7).

Oracles: the network's own shapes (a softmax head of C units trains on C class codes, a
logistic or identity head of K units on K columns), Network.predict's refusal of a list
(the same sentence from fit), and one_hot written out by hand.
"""

import numpy as np
import pytest

import glassnet as gn
from glassnet.core.validation import DataError
from glassnet.train.lbfgs import fit_lbfgs
from glassnet.train.members import Members
from glassnet.train.population import fit_population

RNG = np.random.default_rng(0)
X, t = gn.make_circles(RNG, n_samples=40)
CFG = gn.TrainConfig(epochs=1)


def _net(n_out=2, output="softmax"):
    net = gn.Network.mlp([2, 4, n_out], activation="tanh", output=output, reduction="mean")
    return net, net.init(np.random.default_rng(1))


@pytest.mark.parametrize(
    ("y", "fix"),
    [
        (gn.one_hot(t), "pass the labels t, not one_hot(t)"),
        (gn.one_hot(t).astype(np.float32), "y.argmax(axis=1)"),
        (t[:, None], "use y.ravel()"),
        (np.zeros((40, 3)), "one class code per sample"),
    ],
    ids=["one-hot", "one-hot float32", "one column", "three columns"],
)
def test_fit_refuses_2d_targets_for_a_softmax_head(y, fix):
    net, p = _net()
    with pytest.raises(DataError, match=r"y must be 1-D class codes \(N,\), got shape ") as err:
        gn.fit(net, p, X, y, CFG)
    assert fix in str(err.value) and str(y.shape) in str(err.value)


def test_the_validation_set_and_lbfgs_and_populations_say_the_same():
    net, p = _net()
    with pytest.raises(DataError, match=r"y_val must be 1-D class codes .*one_hot\(t\)"):
        gn.fit(net, p, X, t, CFG, validation=(X, gn.one_hot(t)))
    with pytest.raises(DataError, match="not one_hot"):
        fit_lbfgs(net, p, X, gn.one_hot(t), CFG)
    members = Members((0, 1), (0.1, 0.1), None, (0.0, 0.0), (None, None))
    with pytest.raises(DataError, match="not one_hot"):
        fit_population(net, X, gn.one_hot(t), members, CFG)
    with pytest.raises(DataError, match="X must be an array, got list"):
        fit_population(net, X.tolist(), t, members, CFG)


def test_the_labels_themselves_still_train():
    net, p = _net()
    for y in (t, t.astype(np.float64), t.astype(np.int8)):  # whole floats count as codes
        result = gn.fit(net, p, X, y, CFG)
        assert np.isfinite(result.history.records[-1].loss)


@pytest.mark.parametrize("bad", [0.5, 1.25, -0.5])
def test_a_fractional_class_code_is_named(bad):
    y = t.astype(np.float64)
    y[3] = bad
    net, p = _net()
    with pytest.raises(DataError, match=rf"integer class codes .*got {bad} at row 3"):
        gn.fit(net, p, X, y, CFG)


@pytest.mark.parametrize(
    ("n_out", "y", "message"),
    [
        (1, np.column_stack([t, 1 - t]), r"y has 2 columns \(shape \(40, 2\)\), the network has 1 output unit: give y of shape \(40,\) or \(40, 1\)"),  # noqa: E501
        (2, t, r"y has 1 column \(shape \(40,\)\), the network has 2 output units: give y of shape \(40, 2\)"),  # noqa: E501
        (2, t[:, None], r"y has 1 column \(shape \(40, 1\)\), the network has 2 output units"),
        (3, np.zeros((40, 2)), r"y has 2 columns .* 3 output units"),
    ],
    ids=["2 for 1", "1-D for 2", "1 column for 2", "2 for 3"],
)
@pytest.mark.parametrize("output", ["logistic", "identity"])
def test_value_targets_have_one_column_per_output_unit(n_out, y, message, output):
    """A 1-D y was broadcast over every output unit (each trained on the same column),
    and a y of two columns for one unit crashed with NumPy's broadcast error."""
    net, p = _net(n_out, output)
    with pytest.raises(DataError, match=message):
        gn.fit(net, p, X, y, CFG)


@pytest.mark.parametrize(
    ("n_out", "shape"), [(1, (40,)), (1, (40, 1)), (2, (40, 2)), (3, (40, 3))]
)
@pytest.mark.parametrize("output", ["logistic", "identity"])
def test_matching_value_targets_still_train(n_out, shape, output):
    net, p = _net(n_out, output)
    y = np.random.default_rng(2).integers(0, 2, size=shape).astype(np.float64)
    result = gn.fit(net, p, X, y, CFG)
    assert np.isfinite(result.history.records[-1].loss)


def _predict_message(A, where="X"):
    net, p = _net()
    with pytest.raises(DataError) as err:
        net.predict(p, A)
    return str(err.value).replace("X", where)


@pytest.mark.parametrize(
    ("args", "where"),
    [
        ((X.tolist(), t), "X"),
        ((tuple(map(tuple, X)), t), "X"),
        ((X, t.tolist()), "y"),
        ((X, tuple(t)), "y"),
    ],
    ids=["X list", "X tuple", "y list", "y tuple"],
)
def test_fit_refuses_sequences_as_predict_does(args, where):
    net, p = _net()
    with pytest.raises(DataError) as err:
        gn.fit(net, p, *args, CFG)
    kind = type(args[0] if where == "X" else args[1]).__name__
    said = str(err.value)
    assert said.startswith(f"{where} must be an array, got {kind}; use np.asarray({where}")
    if where == "X":  # word for word what predict says
        assert said == _predict_message(args[0])


@pytest.mark.parametrize("weights", [[1.0] * 40, (1,) * 40], ids=["list", "tuple"])
def test_fit_refuses_sample_weights_as_a_sequence_as_loss_and_grad_does(weights):
    net, p = _net()
    with pytest.raises(DataError, match="sample_weight"):
        net.loss_and_grad(p, X, gn.one_hot(t), weights)
    kind = type(weights).__name__
    said = rf"sample_weight must be an array, got {kind}; use np.asarray\(sample_weight\) first"
    with pytest.raises(DataError, match=said):
        gn.fit(net, p, X, t, CFG, sample_weight=weights)
    result = gn.fit(net, p, X, t, CFG, sample_weight=np.asarray(weights, dtype=float))
    assert np.isfinite(result.history.records[-1].loss)


def test_a_validation_list_is_named_as_the_validation_set():
    net, p = _net()
    with pytest.raises(DataError, match=r"X_val must be an array, got list"):
        gn.fit(net, p, X, t, CFG, validation=(X.tolist(), t))
    with pytest.raises(DataError, match=r"y_val must be an array, got list"):
        gn.fit(net, p, X, t, CFG, validation=(X, t.tolist()))


def test_a_dataframe_is_still_taken():
    pd = pytest.importorskip("pandas")
    net, p = _net()
    frame = pd.DataFrame(X, columns=["a", "b"])
    result = gn.fit(net, p, frame, pd.Series(t), CFG)
    assert np.isfinite(result.history.records[-1].loss)


# ---- one_hot -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (np.array([0, 2, 1]), [[1, 0, 0], [0, 0, 1], [0, 1, 0]]),
        (np.array([0.0, 1.0, 1.0]), [[1, 0], [0, 1], [0, 1]]),  # whole floats are codes
        (np.array([1.0, 0.0], dtype=np.float32), [[0, 1], [1, 0]]),
        (np.array([True, False]), [[0, 1], [1, 0]]),  # False 0, True 1
        (np.array([], dtype=int), np.zeros((0, 0))),
    ],
    ids=["int", "whole float", "float32", "bool", "empty"],
)
def test_one_hot_of_codes(labels, expected):
    np.testing.assert_array_equal(gn.one_hot(labels), np.array(expected, dtype=float))


@pytest.mark.parametrize(
    ("labels", "named"),
    [
        (np.array([0.0, 1.5]), "got 1.5 at index 1"),
        (np.array([0.25, 1.0]), "got 0.25 at index 0"),
        (np.array([0.0, 1.0, np.nan]), "got nan at index 2"),
        (np.array([np.inf, 0.0]), "got inf at index 0"),
    ],
)
def test_one_hot_refuses_labels_that_are_not_whole_numbers(labels, named):
    with pytest.raises(DataError, match="class labels must be whole numbers") as err:
        gn.one_hot(labels)
    assert named in str(err.value)


def test_one_hot_refuses_text_labels_and_keeps_its_other_messages():
    with pytest.raises(DataError, match=r"integer codes 0..C-1, got dtype <U3; encode"):
        gn.one_hot(np.array(["cat", "dog"]))
    with pytest.raises(ValueError, match=r"class labels must lie in \[0, 2\), got -1..1"):
        gn.one_hot(np.array([-1, 1]), 2)
    with pytest.raises(ValueError, match=r"must be 1-D, got shape \(2, 2\)"):
        gn.one_hot(np.eye(2, dtype=int))
