import numpy as np
import pytest

from glassnet.core.network import Network
from glassnet.data.batching import batches, count_correct, evaluate, read_rows, targets_for


def test_targets_for_each_head():
    y = np.array([2, 0, 1])
    np.testing.assert_array_equal(
        targets_for(Network.mlp([2, 3]), y, float), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    )
    np.testing.assert_array_equal(
        targets_for(Network.mlp([2, 1], output="logistic"), np.array([1, 0]), float), [[1], [0]]
    )
    T = targets_for(Network.mlp([2, 2], output="identity"), np.ones((3, 2)), np.float32)
    assert T.shape == (3, 2) and T.dtype == np.float32


def test_batches_cover_the_rows_once_in_sorted_chunks(rng):
    X = rng.normal(size=(10, 2))
    y = np.arange(10) % 2
    order = rng.permutation(10)
    w = np.arange(10.0)  # each row's weight is its index
    seen = []
    for b in batches(Network.mlp([2, 2]), X, y, order, 4, np.float32, sample_weight=w):
        assert b.X.dtype == np.float32 and b.w.dtype == np.float32 and len(b.X) <= 4
        np.testing.assert_array_equal(b.T[:, 1], y[b.w.astype(int)])  # weights travel with rows
        np.testing.assert_array_equal(b.X, X[b.w.astype(int)].astype(np.float32))
        seen.append(b.w.astype(int))
    assert [len(s) for s in seen] == [4, 4, 2]
    np.testing.assert_array_equal(np.sort(np.concatenate(seen)), np.arange(10))
    np.testing.assert_array_equal(read_rows(X, np.array([1, 3])), X[[1, 3]])


def test_batches_can_be_read_into_a_buffer_of_their_size(rng):
    """``inputs(n)`` gives the buffer a batch of ``n`` rows is read into (the compiled
    step's): the same rows as without it; not used when a scaler or a dtype change
    transforms the batch."""
    from glassnet.data.preprocessing import fit_standardizer

    X, y = rng.normal(size=(10, 3)), np.arange(10) % 2
    order, net = rng.permutation(10), Network.mlp([3, 2])
    buffers = {n: np.full((n, 3), np.nan) for n in (4, 2)}
    plain = batches(net, X, y, order, 4, np.float64)
    into = batches(net, X, y, order, 4, np.float64, inputs=buffers.__getitem__)
    for a, b in zip(plain, into, strict=True):  # (a buffer holds one batch at a time)
        np.testing.assert_array_equal(a.X, b.X)
        assert b.X is buffers[len(b.X)]
    scaler = fit_standardizer(X)
    for b in batches(net, X, y, order, 4, np.float64, scaler, inputs=buffers.__getitem__):
        assert not any(np.shares_memory(b.X, buf) for buf in buffers.values())
    for b in batches(net, X, y, order, 4, np.float32, inputs=buffers.__getitem__):
        assert b.X.dtype == np.float32
    out = np.empty((2, 3))
    assert read_rows(X, np.array([1, 3]), out) is out
    np.testing.assert_array_equal(out, X[[1, 3]])
    assert read_rows(X, np.array([1, 3]), np.empty((3, 3))).shape == (2, 3)  # wrong shape


def test_evaluate_against_a_direct_computation(rng):
    net = Network.mlp([3, 4, 3], "tanh", "softmax", "sum")
    params = net.init(rng)
    X = rng.normal(size=(50, 3))
    y = rng.integers(0, 3, 50)
    score = evaluate(net, params, X, y, batch_size=7)
    P = net.predict_proba(params, X)
    assert score.loss == pytest.approx(-np.mean(np.log(P[np.arange(50), y])), rel=1e-12)
    assert score.accuracy == pytest.approx(np.mean(np.argmax(P, axis=1) == y))
    reg = Network.mlp([3, 1], output="identity")
    rp = reg.init(rng)
    r = evaluate(reg, rp, X, np.zeros(50))
    assert r.accuracy is None
    assert r.loss == pytest.approx(0.5 * np.mean(reg.predict(rp, X) ** 2))


def test_count_correct_logistic():
    net = Network.mlp([1, 1], output="logistic")
    Zo = np.array([[2.0], [-1.0], [0.5]])
    assert count_correct(net, Zo, np.array([[1.0], [1.0], [1.0]])) == 2
