"""``demo --starts``: the tutorial network from many starts, each start checked by hand."""

import json

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.core import population as pop
from glassnet.core.optimizers import SGD, Momentum, apply_updates
from glassnet.train.starts import StartsResult, random_starts, tutorial_starts
from glassnet.train.tutorial import TutorialConfig, tutorial_data


def _by_hand(net, params, X, T, opt, iterations):
    """The tutorial's loop on the pure path: loss_and_grad, update, apply."""
    state = opt.init(params)
    for _ in range(iterations):
        _, grads = net.loss_and_grad(params, X, T)
        updates, state = opt.update(grads, state, params)
        params = apply_updates(params, updates)
    return net.loss(params, X, T), bool(np.all(net.predict(params, X) == np.argmax(T, 1)))


def test_every_start_matches_its_own_run():
    n, cfg = 6, TutorialConfig(iterations=60)
    result = tutorial_starts(n, cfg, seed=4)
    _, X, _, T, net = tutorial_data(cfg)
    starts = random_starts(net, n, cfg.init_scale, seed=4)
    for k in (0, 3, 5):
        for name, opt in (("gradient descent", SGD(0.02)), ("momentum", Momentum(0.02, 0.9))):
            loss, right = _by_hand(net, pop.member(starts, k), X, T, opt, cfg.iterations)
            assert result.final_loss[name][k] == pytest.approx(loss, rel=1e-10)
            assert result.all_correct[name][k] == right


def test_starts_are_distinct_and_scaled():
    _, _, _, _, net = tutorial_data(TutorialConfig())
    starts = random_starts(net, 500, 0.1)
    W = starts[0]["W"].reshape(500, -1)
    assert len({tuple(w) for w in W}) == 500
    assert np.std(W) == pytest.approx(0.1, rel=0.05)


@pytest.mark.parametrize(
    ("gd", "mom", "words"),
    [
        (0.02, 0.9, "support the tutorial's claim"),
        (0.6, 0.7, "less strongly"),
        (0.5, 0.4, "do not support"),
    ],
)
def test_the_finding_follows_the_numbers(gd, mom, words):
    n = 100
    shares = {"gradient descent": gd, "momentum": mom}
    result = StartsResult(
        {k: np.linspace(1, 2, n) for k in shares},
        {k: np.arange(n) < round(v * n) for k, v in shares.items()},
        69.31,
    )
    sentence = result.finding()
    assert words in sentence and f"{gd:.1%}" in sentence and f"{mom:.1%}" in sentence


def test_demo_with_starts_reports_both_optimizers(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--every", "0", "--starts", "40"]) == 0
    out = capsys.readouterr().out
    assert "80 networks trained" in out and "momentum" in out
    m = json.loads((tmp_path / "metrics.json").read_text())["starts"]
    assert m["momentum"]["starts"] == 40 and 0 <= m["gradient descent"]["share_all_correct"] <= 1
    assert m["finding"].startswith("From 40 random starts")
    html = (tmp_path / "report.html").read_text()
    assert 'id="starts"' in html and m["finding"].replace("'", "&#x27;") in html


def test_negative_starts_are_refused(tmp_path):
    with pytest.raises(SystemExit) as stop:  # refused by the parser, as a bad argument
        main(["demo", "--out", str(tmp_path), "--starts", "-1"])
    assert stop.value.code == 2
