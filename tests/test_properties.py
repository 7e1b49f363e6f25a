"""Property tests that search for failures (hypothesis): random architectures, shapes, seeds,
logits, parameters and bytes."""

import numpy as np
import pytest
from _targets import random_targets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glassnet.core.gradcheck import check_network
from glassnet.core.losses import HEADS, get_head
from glassnet.core.network import Network
from glassnet.files.modelfile import Model, ModelFileError, load_model, save_model

SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

architectures = st.tuples(
    st.lists(st.integers(1, 5), min_size=2, max_size=4),  # layer sizes
    st.sampled_from(["logistic", "tanh", "relu", "identity"]),
    st.sampled_from(sorted(HEADS)),
    st.sampled_from(["sum", "mean"]),
    st.integers(0, 2**32 - 1),  # seed
    st.integers(1, 6),  # samples
).map(
    lambda a: ([*a[0][:-1], max(a[0][-1], 2)], *a[1:]) if a[2] == "softmax" else a
)  # a softmax output has at least 2 units (Network refuses one)


@SETTINGS
@given(architectures)
def test_gradients_match_finite_differences(arch):
    sizes, activation, output, reduction, seed, N = arch
    rng = np.random.default_rng(seed)
    net = Network.mlp(sizes, activation, output, reduction)
    params = net.init(rng)
    X = rng.normal(size=(N, sizes[0]))
    if activation == "relu":  # keep pre-activations away from the kink at 0
        for p in params:
            p["b"] = p["b"] + 0.1
    report = check_network(
        net, params, X, random_targets(output, rng, N, sizes[-1]), rtol=1e-4, atol=1e-6
    )
    assert report.passed, report.format()


@SETTINGS
@given(
    st.sampled_from(sorted(HEADS)),
    st.sampled_from([np.float32, np.float64]),
    st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=2, max_size=12),
    st.integers(0, 2**32 - 1),
)
def test_losses_and_errors_stay_finite_for_large_logits(name, dtype, values, seed):
    Z = (
        np.array(values, dtype=dtype).reshape(-1, 2)
        if len(values) % 2 == 0
        else np.array(values[:-1], dtype=dtype).reshape(-1, 2)
    )
    rng = np.random.default_rng(seed)
    T = random_targets(name, rng, Z.shape[0], 2).astype(dtype)
    if name == "identity":
        T = np.zeros_like(Z)
    head = get_head(name)
    loss, Eo = head.loss_and_error(Z, T)
    assert np.isfinite(loss) and np.all(np.isfinite(Eo)) and Eo.dtype == dtype
    Y = head.output(Z)
    assert np.all(np.isfinite(Y))
    if name == "softmax":
        np.testing.assert_allclose(Y.sum(axis=1), 1, rtol=1e-5)


@SETTINGS
@given(architectures, st.sampled_from([np.float32, np.float64]), st.booleans())
def test_save_load_round_trips_exactly(tmp_path_factory, arch, dtype, with_classes):
    sizes, activation, output, reduction, seed, _ = arch
    net = Network.mlp(sizes, activation, output, reduction)
    params = net.init(np.random.default_rng(seed), dtype)
    n_classes = sizes[-1] if sizes[-1] > 1 else 2
    classes = np.arange(n_classes) * 10 if with_classes else None
    path = tmp_path_factory.mktemp("m") / "m.npz"
    back = load_model(save_model(Model(net, params, classes), path))
    assert back.net == net
    for a, b in zip(back.params, params, strict=True):
        for k in a:
            assert a[k].dtype == b[k].dtype
            np.testing.assert_array_equal(a[k], b[k])


@pytest.fixture(scope="module")
def model_bytes(tmp_path_factory):
    net = Network.mlp([3, 4, 2], "tanh")
    model = Model(net, net.init(np.random.default_rng(0)), np.array(["a", "b"]))
    path = save_model(model, tmp_path_factory.mktemp("orig") / "m.npz")
    return path.read_bytes(), model


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=2000))
def test_loader_raises_only_its_own_error_on_arbitrary_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("junk") / "m.npz"
    path.write_bytes(data)
    with pytest.raises(ModelFileError):
        load_model(path)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_a_flipped_byte_anywhere_is_caught_or_harmless(tmp_path_factory, model_bytes, data):
    raw, model = model_bytes
    position = data.draw(st.integers(0, len(raw) - 1))
    bit = data.draw(st.integers(0, 7))
    damaged = bytearray(raw)
    damaged[position] ^= 1 << bit
    path = tmp_path_factory.mktemp("flip") / "m.npz"
    path.write_bytes(bytes(damaged))
    try:
        back = load_model(path)
    except ModelFileError:
        return
    # Bytes the format does not depend on (a zip timestamp, say): the model is intact.
    for a, b in zip(back.params, model.params, strict=True):
        np.testing.assert_array_equal(a["W"], b["W"])
        np.testing.assert_array_equal(a["b"], b["b"])
    assert list(back.classes) == list(model.classes)


def test_every_single_byte_flip_in_one_file(model_bytes, tmp_path):
    """Exhaustive over positions (one bit each) for the small model file."""
    raw, model = model_bytes
    outcomes = {"error": 0, "intact": 0}
    for position in range(len(raw)):
        damaged = bytearray(raw)
        damaged[position] ^= 0x10
        buf = tmp_path / "m.npz"
        buf.write_bytes(bytes(damaged))
        try:
            back = load_model(buf)
        except ModelFileError:
            outcomes["error"] += 1
            continue
        np.testing.assert_array_equal(back.params[0]["W"], model.params[0]["W"])
        outcomes["intact"] += 1
    assert outcomes["error"] > len(raw) // 2
    assert sum(outcomes.values()) == len(raw)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.text(alphabet="ab,01.-e\n\r \"'nax", max_size=200).map(str.encode),
    )
)
def test_csv_reader_raises_only_data_errors(tmp_path_factory, data):
    from glassnet.data.encoding import fit_encoding
    from glassnet.data.tables import DataError, load_table

    path = tmp_path_factory.mktemp("csv") / "d.csv"
    path.write_bytes(data)
    try:
        table = load_table(path, "a")
        X = fit_encoding(table.frame).transform(table.frame).X
    except DataError:
        return
    assert X.ndim == 2 and np.all(np.isfinite(X)) and len(table.y) == len(X)
