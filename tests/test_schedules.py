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
