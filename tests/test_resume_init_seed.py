"""``--resume`` and ``--init-seed`` (NU13 #7): ``--init-seed S`` with ``--seed S`` is the
run of no ``--init-seed`` (the same initialization and minibatch order), so either form
resumes a checkpoint of the other, to the model a straight run gives (the oracle: the
parameters of an uninterrupted run of as many epochs). A checkpoint of another init seed
is refused naming it in the options' words: never Python's ``None``."""

from pathlib import Path

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model


def _csv(path: Path) -> Path:
    rows = [f"{(i % 7) / 7:.3f},{(i * 5 % 11) / 11:.3f},{'ab'[(i % 7) > 3]}" for i in range(60)]
    path.write_text("x0,x1,label\n" + "\n".join(rows) + "\n")
    return path


def _train(tmp_path: Path, out: str, *options: str) -> int:
    argv = ["train", "--data", str(_csv(tmp_path / "d.csv")), "--target", "label", "--hidden",
            "3", "--progress", "off", "--out", str(tmp_path / out), *options]  # fmt: skip
    return main(argv)


def _params(path: Path) -> list[np.ndarray]:
    return [v for layer in load_model(path).params for v in layer.values()]


@pytest.mark.parametrize(("first", "then"), [
    ((), ("--init-seed", "0")),
    (("--init-seed", "0"), ()),
    (("--seed", "2"), ("--seed", "2", "--init-seed", "2")),
    (("--seed", "2", "--init-seed", "2"), ("--seed", "2")),
])  # fmt: skip
def test_the_init_seed_of_the_seed_resumes_either_way(tmp_path, capsys, first, then):
    assert _train(tmp_path, "r/m.npz", "--epochs", "2", *first) == 0
    assert _train(tmp_path, "r/m.npz", "--epochs", "4", "--resume", *then) == 0
    assert "resuming from epoch 2 (of at most 4)" in capsys.readouterr().out
    assert _train(tmp_path, "s/m.npz", "--epochs", "4", *first) == 0  # uninterrupted
    for a, b in zip(_params(tmp_path / "r/m.npz"), _params(tmp_path / "s/m.npz"), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(("first", "then", "said"), [
    ((), ("--init-seed", "3"),
     "(--init-seed not given (default: --seed 0) in the checkpoint, now --init-seed 3)"),
    (("--init-seed", "5"), (),
     "(--init-seed 5 in the checkpoint, now --init-seed not given (default: --seed 0))"),
    (("--seed", "2"), ("--init-seed", "0", "--seed", "2"),
     "(--init-seed not given (default: --seed 2) in the checkpoint, now --init-seed 0)"),
    ((), ("--seed", "4"), "(--seed 0 in the checkpoint, now --seed 4)"),
    ((), ("--seed", "4", "--init-seed", "0"), "(--seed 0 in the checkpoint, now --seed 4)"),
])  # fmt: skip
def test_another_init_seed_is_refused_in_the_options_words(tmp_path, capsys, first, then, said):
    assert _train(tmp_path, "r/m.npz", "--epochs", "2", *first) == 0
    capsys.readouterr()
    assert _train(tmp_path, "r/m.npz", "--epochs", "4", "--resume", *then) == 2
    err = capsys.readouterr().err
    assert said in err and "None" not in err
