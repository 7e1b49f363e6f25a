"""Bad input at every library entry point gets one clear DataError."""

import numpy as np
import pytest

from glassnet.cli.workflow import Recipe, train_model
from glassnet.core.network import Network
from glassnet.core.validation import DataError, as_features, as_targets, check_class_labels
from glassnet.files.modelfile import Model
from glassnet.train.loop import TrainConfig, fit


class FakeSparse:
    format, nnz, shape, dtype = "csr", 3, (3, 2), np.dtype(float)

    def toarray(self):
        return np.zeros(self.shape)


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.array([[1.0, np.nan]]), r"non-finite value NaN at row 0, column 1"),
        (np.array([[1.0], [np.inf]]), r"non-finite value inf at row 1, column 0"),
        (np.arange(3.0), r"must be 2-D .* X.reshape\(1, -1\) for one sample or X.reshape\(-1, 1\)"),
        (np.array(["2020-01-01"], dtype="datetime64[D]").reshape(1, 1), "dates or times"),
        (np.array([[1]], dtype="timedelta64[s]"), "time deltas"),
        (np.array([[b"1"]]), "byte strings"),
        (np.zeros((2, 2), dtype=[("a", "f8")]), "structured records"),
        (np.zeros((0, 3)), "has no data"),
        (np.zeros((3, 0)), "has no data"),
        (np.array([[1 + 2j]]), "complex numbers"),
        (np.array([["a", "b"]]), "non-numeric values"),
        (np.array([[{}, 1]], dtype=object), "non-numeric values"),
        (FakeSparse(), r"sparse matrix.*X.toarray\(\)"),
    ],
)
def test_bad_features(X, message):
    with pytest.raises(DataError, match=message):
        as_features(X)


def test_good_features_pass_through():
    assert as_features([[1, 2], [3, 4]]).shape == (2, 2)
    X = np.ones((2, 2), dtype=np.float32)
    assert as_features(X) is X


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (np.zeros(4), "X has 3 samples but y has 4"),
        (np.array([0.0, np.nan, 1.0]), "non-finite value NaN at row 1"),
        (np.zeros((3, 1, 1)), "must be 1-D"),
        (np.array([1j, 2j, 3j]), "complex"),
        (np.array(["2020-01-01"] * 3, dtype="datetime64[D]"), "dates or times"),
        (np.array([1, 2, 3], dtype="timedelta64[s]"), "time deltas"),
        (np.array([b"a", b"b", b"c"]), "byte strings"),
        (np.array([1, None, 2], dtype=object), "NoneType values"),
        (np.array([1, {}, 2], dtype=object), "dict values"),
    ],
)
def test_bad_targets(y, message):
    with pytest.raises(DataError, match=message):
        as_targets(y, 3)


def test_class_labels():
    with pytest.raises(DataError, match="continuous values, not class labels"):
        check_class_labels(np.array([0.5, 1.5, 2.0]))
    with pytest.raises(DataError, match="at least 2 classes, found only 'a'"):
        check_class_labels(np.array(["a", "a"]))
    check_class_labels(np.array([0.0, 1.0, 1.0]))


def test_fit_checks_shapes_and_codes():
    net = Network.mlp([2, 3, 2])
    params = net.init(np.random.default_rng(0))
    X = np.zeros((4, 2))
    cfg = TrainConfig(epochs=1)
    with pytest.raises(DataError, match="X has 3 features, the network takes 2"):
        fit(net, params, np.zeros((4, 3)), np.zeros(4, dtype=int), cfg)
    with pytest.raises(DataError, match=r"class codes outside \[0, 2\): 0..5"):
        fit(net, params, X, np.array([0, 1, 5, 0]), cfg)
    with pytest.raises(DataError, match="y_val"):
        fit(
            net, params, X, np.zeros(4, dtype=int), cfg, validation=(X, np.array([0, 1, np.nan, 0]))
        )


def test_train_model_and_model_predict():
    with pytest.raises(DataError, match="continuous values"):
        train_model(
            np.zeros((4, 1)),
            np.array([0.1, 0.2, 0.3, 0.4]),
            Recipe(task="classification", epochs=1),
        )
    with pytest.raises(DataError, match="sparse"):
        train_model(FakeSparse(), np.zeros(3), Recipe(epochs=1))
    net = Network.mlp([2, 2])
    model = Model(net, net.init(np.random.default_rng(0)), np.array(["x", "y"]))
    with pytest.raises(DataError, match="the model expects 2 features, got 3"):
        model.predict(np.zeros((1, 3)))
    with pytest.raises(DataError, match="non-finite"):
        model.predict(np.array([[np.nan, 0.0]]))
    # one sample as a 1-D row: the hint that works
    with pytest.raises(DataError, match=r"reshape\(1, -1\) for a single sample of 2 features"):
        model.predict(np.array([0.5, 1.0]))
    np.testing.assert_array_equal(
        model.predict(np.array([0.5, 1.0]).reshape(1, -1)), model.predict([[0.5, 1.0]])
    )
    one = Model(Network.mlp([1, 2]), Network.mlp([1, 2]).init(np.random.default_rng(0)))
    with pytest.raises(DataError, match=r"reshape\(-1, 1\) for a single feature"):
        one.predict(np.array([0.5, 1.0]))


def test_object_targets_of_numbers_and_labels_pass():
    assert as_targets(np.array([1, 2.5, 3], dtype=object), 3).dtype == object
    assert list(as_targets(np.array(["a", "b", "a"], dtype=object), 3)) == ["a", "b", "a"]


ENTRY_POINTS = ["Network.predict", "loss_and_grad", "check_network", "Model.predict"]


def _one_hot(n):
    """``n`` one-hot rows of class 0 (softmax targets must be probability rows)."""
    return np.eye(2)[np.zeros(n, dtype=int)]


def _entry_points(D):
    """Every library entry point that checks a batch ``X`` for a network of ``D`` inputs."""
    from glassnet.core.gradcheck import check_network

    net = Network.mlp([D, 3, 2])
    params = net.init(np.random.default_rng(0))
    model = Model(net, params)
    return {
        "Network.predict": lambda X: net.predict(params, X),
        "loss_and_grad": lambda X: net.loss_and_grad(params, X, _one_hot(len(X))),
        "check_network": lambda X: check_network(net, params, X, _one_hot(len(X))),
        "Model.predict": lambda X: model.predict(X),
    }


@pytest.mark.parametrize("D", [2, 4])
@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_one_dimensional_row_of_the_inputs_size_is_told_reshape_1_minus_1(D, name):
    # a 1-D X of length D > 1 is one sample: the hint is scikit-learn's reshape(1, -1), and
    # following it is accepted (the hint of a single feature would give (D, 1): refused)
    call = _entry_points(D)[name]
    x = np.linspace(-1.0, 1.0, D)
    with pytest.raises(DataError, match=rf"use X\.reshape\(1, -1\) for a single sample of {D}"):
        call(x)
    call(x.reshape(1, -1))
    with pytest.raises(DataError, match=r"(has 1 feature\b|features, got 1)"):
        call(x.reshape(-1, 1))


@pytest.mark.parametrize("name", ENTRY_POINTS)
@pytest.mark.parametrize("n", [1, 3])
def test_one_dimensional_x_of_a_single_input_network_is_told_reshape_minus_1_1(name, n):
    call = _entry_points(1)[name]
    x = np.linspace(-1.0, 1.0, n)
    with pytest.raises(DataError, match=r"use X\.reshape\(-1, 1\) for a single feature"):
        call(x)
    call(x.reshape(-1, 1))


@pytest.mark.parametrize(("D", "n"), [(2, 3), (4, 3), (4, 1), (2, 5)])
@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_one_dimensional_x_of_another_length_names_both_lengths(D, n, name):
    with pytest.raises(DataError, match=rf"X\.reshape\(1, -1\) of {D} values .*this has {n}$") as e:
        _entry_points(D)[name](np.zeros(n))
    assert "reshape(-1, 1)" not in str(e.value)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_known_finite_skips_only_the_very_arrays_named(bad):
    from glassnet.core.validation import NonFinite, check_finite, known_finite

    checked = np.ones((5, 3))
    other = np.ones((5, 3))
    other[3, 1] = bad
    with known_finite(checked):
        check_finite(checked, "X")  # named: not scanned
        with pytest.raises(NonFinite, match="row 3, column 1"):
            check_finite(other, "X")  # another array, even of equal shape: scanned
        with pytest.raises(NonFinite):
            check_finite(other.copy(), "X")
    checked[0, 0] = bad  # outside the context the array is scanned again
    with pytest.raises(NonFinite, match="row 0, column 0"):
        check_finite(checked, "X")


@pytest.mark.parametrize("where", [(0, 0), (19, 3)])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_estimator_fit_still_refuses_non_finite_x_checked_once(where, bad):
    import glassnet

    X = np.random.default_rng(0).standard_normal((20, 4))
    X[where] = bad
    y = np.arange(20) % 2
    for est in (glassnet.MLPClassifier(max_iter=2), glassnet.MLPRegressor(max_iter=2)):
        with pytest.raises(ValueError, match=f"row {where[0]}, column {where[1]}"):
            est.fit(X, y)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_finite_values_whose_sum_overflows_pass_and_a_pair_of_infinities_is_found(dtype):
    """The scan's shortcut (a finite sum proves every value finite) neither refuses finite
    values too large to sum nor misses ``inf`` and ``-inf`` that sum to NaN."""
    from glassnet.core.validation import NonFinite, check_finite

    big = np.full((6, 4), np.finfo(dtype).max, dtype)
    with np.errstate(all="raise"):  # (the sum overflows: no warning, no error)
        check_finite(big, "X")
        big[2, 1], big[4, 3] = np.inf, -np.inf
        with pytest.raises(NonFinite, match="row 2, column 1"):
            check_finite(big, "X")
