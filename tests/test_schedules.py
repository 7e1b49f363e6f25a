import math

import pytest

from glassnet.core.schedules import (
    Constant,
    ExponentialDecay,
    InverseScaling,
    ReduceOnPlateau,
    StepDecay,
    get_schedule,
)


def _rates(schedule, losses, lr0=0.1):
    state = schedule.init(lr0)
    rates = [state.lr]
    for epoch, loss in enumerate(losses, start=1):
        state = schedule.step(state, epoch, loss)
        rates.append(state.lr)
    return rates


def test_closed_forms():
    losses = [1.0] * 6
    assert _rates(Constant(), losses) == [0.1] * 7
    assert _rates(StepDecay(every=2, gamma=0.5), losses) == pytest.approx(
        [0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]
    )
    assert _rates(ExponentialDecay(0.9), losses) == pytest.approx([0.1 * 0.9**e for e in range(7)])
    assert _rates(InverseScaling(0.5), losses) == pytest.approx(
        [0.1] + [0.1 / math.sqrt(e + 1) for e in range(1, 7)]
    )


def test_reduce_on_plateau_waits_for_patience_then_halves():
    # improves for 2 epochs, then flat: after patience=2 flat epochs + 1, the rate halves
    losses = [1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4]
    rates = _rates(ReduceOnPlateau(factor=0.5, patience=2, min_lr=0.02), losses)
    assert rates == pytest.approx([0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025])
    floor = _rates(ReduceOnPlateau(factor=0.1, patience=0, min_lr=0.02), [1.0, 1.0, 1.0])
    assert floor[-1] == 0.02


def test_bad_settings():
    with pytest.raises(ValueError, match="decay factor"):
        StepDecay(gamma=1.5)
    with pytest.raises(ValueError, match="every must be at least 1"):
        StepDecay(every=0)
    with pytest.raises(ValueError, match="unknown schedule 'cosine'"):
        get_schedule("cosine")
    assert isinstance(get_schedule("plateau"), ReduceOnPlateau)


def test_reduce_on_plateau_never_raises_the_rate_to_min_lr():
    # a rate already below min_lr stays where it is (it was raised to min_lr before)
    rates = _rates(ReduceOnPlateau(factor=0.5, patience=0, min_lr=0.5), [1.0, 1.0, 1.0])
    assert rates == [0.1, 0.1, 0.1, 0.1]
    # the floor holds from above: 0.1 -> 0.05 -> 0.04 (not 0.025) -> 0.04
    rates = _rates(ReduceOnPlateau(factor=0.5, patience=0, min_lr=0.04), [1.0] * 4)
    assert rates == pytest.approx([0.1, 0.1, 0.05, 0.04, 0.04])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: ReduceOnPlateau(threshold=1.0), "threshold must be in"),
        (lambda: ReduceOnPlateau(threshold=-0.1), "threshold must be in"),
        (lambda: ReduceOnPlateau(min_lr=-1e-3), "min_lr must be non-negative"),
        (lambda: ReduceOnPlateau(min_lr=math.inf), "min_lr must be non-negative and finite"),
        (lambda: InverseScaling(power=math.inf), "power must be non-negative and finite"),
        (lambda: InverseScaling(power=-0.5), "power must be non-negative"),
    ],
)
def test_out_of_range_constants_raise(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_inverse_scaling_counts_epochs_or_samples():
    """``per=1``: lr0 / e ** power in epoch e; ``per=N``: scikit-learn's lr0 / (t + 1) **
    power_t with t = (e - 1) * N samples seen before epoch e."""
    assert _rates(InverseScaling(power=1.0), [1.0] * 3) == pytest.approx([0.1, 0.1 / 2, 0.1 / 3,
                                                                          0.1 / 4])  # fmt: skip
    assert _rates(InverseScaling(power=0.5, per=100), [1.0] * 2) == pytest.approx(
        [0.1, 0.1 / math.sqrt(101), 0.1 / math.sqrt(201)]
    )
