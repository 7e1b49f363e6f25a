"""A row too far outside a model's training data to score is refused, naming its line, its
column, its value and how far it lies (predict, evaluate, report, explain; exit 1, one
line), as a cell holding ``inf`` is; before, ``1e308`` gave NumPy's overflow warnings and
``nan`` probabilities with a label picked from them, or "X has a non-finite value inf at
row 0", a value the file does not hold. The oracle for the network's output is the
network's own forward pass on the standardized row."""

import numpy as np
import pytest

from glassnet.cli.far_rows import _gain
from glassnet.cli.main import main
from glassnet.files.modelfile import load_model

COMMANDS = {
    "predict": ["predict", "--model", "{d}/m.npz", "--data", "{d}/x.csv", "--target", "y"],
    "predict --proba": ["predict", "--model", "{d}/m.npz", "--data", "{d}/x.csv", "--target",
                        "y", "--proba"],
    "evaluate": ["evaluate", "--model", "{d}/m.npz", "--data", "{d}/x.csv", "--target", "y"],
    "report": ["report", "--model", "{d}/m.npz", "--data", "{d}/x.csv", "--target", "y",
               "--out", "{d}/r.html"],
    "explain": ["explain", "--model", "{d}/m.npz", "--data", "{d}/x.csv", "--target", "y"],
}  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A classifier trained on ``a`` (spread 0.1) and ``b`` (spread 1e299)."""
    at = tmp_path_factory.mktemp("far")
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=120) * 0.1, rng.normal(size=120) * 1e299
    y = np.where(a > 0, "yes", "no")
    rows = "".join(f"{float(u)!r},{float(v)!r},{t}\n" for u, v, t in zip(a, b, y, strict=True))
    (at / "d.csv").write_text("a,b,y\n" + rows)
    argv = ["train", "--data", str(at / "d.csv"), "--target", "y", "--epochs", "3",
            "--progress", "off", "--out", str(at / "m.npz")]  # fmt: skip
    assert main(argv) == 0
    return at


def _run(folder, command, rows, capsys):
    (folder / "x.csv").write_text("a,b,y\n" + "".join(rows))
    capsys.readouterr()
    try:
        code = main([a.format(d=folder) for a in COMMANDS[command]])
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr()


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("value", ["1e308", "-1.5e308", "2e307"])
def test_a_value_whose_standardized_form_overflows(folder, command, value, capsys):
    rows = ["0.01,1.0,yes\n", f"{value},1.0,no\n"]
    code, said = _run(folder, command, rows, capsys)
    assert code == 1, said
    err = said.err.strip()
    assert len(err.splitlines()) == 1, err
    assert f"x.csv: line 3, column 'a': {float(value):.6g} is too far outside the model's " in err
    assert "beyond the largest float64 number" in err
    assert "glassnet: warning" not in said.err and "nan" not in said.out


def _standardized_output_finite(folder, b):
    model = load_model(folder / "m.npz")
    with np.errstate(all="ignore"):
        Y = model.output(model.inputs(np.array([[0.01, b]])))
    return bool(np.all(np.isfinite(Y)))


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("b", [1e300, 1e306, 1e307, 5e307, 1.7e308])
def test_refused_exactly_when_the_network_s_output_overflows(folder, command, b, capsys):
    code, said = _run(folder, command, ["0.01,1.0,yes\n", f"0.02,{b!r},no\n"], capsys)
    if _standardized_output_finite(folder, b):
        assert code == 0, said.err
        assert "glassnet: warning" not in said.err
    else:
        assert code == 1, said
        assert "x.csv: line 3: the network's output overflows for this row: column 'b' = " in (
            said.err
        )
        assert "training standard deviations from the training mean" in said.err


def test_the_output_bound_holds(rng):
    """``max |output| <= a max |z| + c`` for random networks of every activation."""
    class Fake:  # the one attribute the bound reads
        def __init__(self, params):
            self.params = params

    for _ in range(50):
        sizes = rng.integers(1, 6, size=rng.integers(2, 5))
        pairs = zip(sizes[:-1], sizes[1:], strict=True)
        params = [{"W": rng.normal(size=(int(m), int(n))) * rng.uniform(0.1, 3),
                   "b": rng.normal(size=(1, int(n)))} for m, n in pairs]  # fmt: skip
        a, c = _gain(Fake(params))
        for act in (np.tanh, lambda u: np.maximum(u, 0), lambda u: 0.5 + 0.5 * np.tanh(u / 2),
                    lambda u: u):  # fmt: skip
            z = rng.normal(size=(20, int(sizes[0]))) * rng.uniform(0.1, 100)
            h = z
            for k, p in enumerate(params):
                h = h @ p["W"] + p["b"]
                if k < len(params) - 1:
                    h = act(h)
            assert np.all(np.abs(h).max(axis=1) <= a * np.abs(z).max(axis=1) + c + 1e-9)
