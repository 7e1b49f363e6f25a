import json
import subprocess
import sys

import numpy as np
import pytest

from glassnet.cli.main import main


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert main(["demo", "--out", str(out), "--every", "100"]) == 0
    return out


def test_demo_writes_everything(demo_dir):
    names = {p.name for p in demo_dir.iterdir()}
    assert names == {
        "metrics.json",
        "params.npz",
        "dataset.png",
        "loss.png",
        "decision_boundary.png",
        "hidden_projection.png",
        "report.html",
    }
    html = (demo_dir / "report.html").read_text()
    assert "plateau from iteration 0 to ~1" in html and "at loss ~69.3" in html


def test_demo_metrics(demo_dir):
    m = json.loads((demo_dir / "metrics.json").read_text())
    assert len(m["loss_history"]) == 301
    assert m["initial_loss"] == m["loss_history"][0]
    assert m["final_loss"] == m["loss_history"][-1]
    assert round(m["initial_loss"], 2) == 69.47 and m["final_loss"] < 1
    assert m["accuracy"] == 1.0 and m["misclassified"] == 0
    assert m["first_perfect_iteration"] == 178
    assert m["gradient_check"]["passed"] is True
    assert 0 < m["gradient_check"]["max_relative_error"] < 1e-6


def test_demo_parameters_load_without_pickle(demo_dir):
    with np.load(demo_dir / "params.npz", allow_pickle=False) as f:
        assert {k: f[k].shape for k in f.files} == {
            "W_h": (2, 3),
            "b_h": (1, 3),
            "W_o": (3, 2),
            "b_o": (1, 2),
        }


def test_demo_output(demo_dir, capsys, tmp_path):
    main(["demo", "--out", str(tmp_path), "--every", "150"])
    out = capsys.readouterr().out
    assert "shape of X: (100, 2)" in out and "shape of T: (100, 2)" in out
    assert "gradient check passed" in out
    assert "iteration  150" in out and "iteration  300" in out
    assert "summary: initial loss 69.4740, final loss 0.3808" in out


def test_gradcheck_exit_codes(capsys):
    assert main(["gradcheck"]) == 0
    assert "gradient check passed" in capsys.readouterr().out
    # With zero tolerance the ~1e-9 finite-difference error is within the differences' own
    # round-off: the check cannot judge (exit code 3), it does not blame the gradients.
    assert main(["gradcheck", "--rtol", "0", "--atol", "0"]) == 3
    out = capsys.readouterr().out
    assert "gradient check inconclusive: the tolerance (rtol=0, atol=0)" in out
    assert "FAILED" not in out


def test_explain_exits_0_with_every_step(capsys):
    assert main(["explain", "--rows", "2"]) == 0
    out = capsys.readouterr().out
    for step in ("Z_h = X · W_h + b_h", "Eh = ∂ξ/∂Z_h", "JWh = X^T · Eh", "gradient check passed"):
        assert step in out
    assert main(["explain", "--at", "check", "--rows", "1"]) == 0


def test_demo_animate_flag_is_parsed():
    from glassnet.cli.main import build_parser

    assert build_parser().parse_args(["demo", "--animate"]).animate is True
    assert build_parser().parse_args(["demo"]).animate is False


def test_bad_arguments_exit_with_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--every", "often"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["nonsense"])
    assert exc.value.code == 2


def test_console_entry_point_runs():
    proc = subprocess.run(
        [sys.executable, "-m", "glassnet", "--help"], capture_output=True, text=True, check=True
    )
    assert "demo" in proc.stdout and "gradcheck" in proc.stdout and "explain" in proc.stdout


def test_import_stays_light():
    code = (
        "import sys, glassnet; bad = [m for m in ('matplotlib', 'sklearn', 'scipy', 'pandas', "
        "'pyarrow') if m in sys.modules]; print(bad)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_the_parser_loads_no_command_and_each_handler_imports_its_own():
    """``glassnet --help`` builds the parser only: no training, views, files or plotting
    modules are loaded; each command's handler is a plain function that imports its module
    with a plain ``import`` when it runs (no module named by a string)."""
    import ast
    import inspect

    code = (
        "import sys; from glassnet.cli.main import build_parser; build_parser(); "
        "print(' '.join(sorted(sys.modules)))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(proc.stdout.split())
    heavy = ("glassnet.train", "glassnet.views", "glassnet.files", "matplotlib", "sklearn")
    light = {"glassnet.files", "glassnet.files.file_kinds"}  # the --out checks' file kinds
    assert not {m for m in loaded if m.startswith(heavy)} - light
    assert "glassnet.cli.train_command" not in loaded

    from glassnet.cli import handlers
    from glassnet.cli.main import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name, parser in sub.choices.items():
        func = parser.get_default("func")
        assert func.__module__ == "glassnet.cli.handlers", name
        assert getattr(handlers, func.__name__) is func
    source = inspect.getsource(handlers) + inspect.getsource(sys.modules["glassnet.cli.main"])
    calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Attribute)]
    assert not [n for n in calls if n.attr in ("import_module", "__import__")]
