"""NumPy's floating-point warnings raised in glassnet's code reach the command line once per
command, as one line that says what happened, where in glassnet, what the results may hold
and what to try (by the command: its settings for those that train, its data for those that
apply a model), never as NumPy's bare words under glassnet's name."""

import sys
import warnings

import numpy as np
import pytest

import glassnet.cli.quiet as quiet
from glassnet.cli.float_warnings import float_kind, float_line
from glassnet.cli.quiet import library_warnings_quiet


def _in_glassnet(source):
    namespace: dict = {"np": np}
    exec(compile(source, quiet.__file__, "exec"), namespace)
    return namespace["run"]


CASES = {  # numpy call in glassnet's code -> (kind, what the line says happened)
    "np.exp(np.array([1000.0]))": ("overflow", "an overflow in glassnet.cli.quiet"),
    "np.zeros(1) / np.zeros(1)": ("invalid value", "an invalid value in glassnet.cli.quiet"),
    "np.ones(1) / np.zeros(1)": ("divide by zero", "a division by zero in glassnet.cli.quiet"),
    "np.array([1e-300]) * 1e-300": ("underflow", "an underflow in glassnet.cli.quiet"),
}


def _said(command, source, monkeypatch, capsys, times=1):
    monkeypatch.setattr(sys, "warnoptions", [])
    run = _in_glassnet("def run():\n" + f"    {source}\n" * times)
    with warnings.catch_warnings(), np.errstate(all="warn"):
        warnings.simplefilter("always")
        with library_warnings_quiet(command):
            run()
    return capsys.readouterr().err


@pytest.mark.parametrize("command", ["train", "sweep", "predict", "evaluate", "report", None])
@pytest.mark.parametrize("source", sorted(CASES))
def test_one_line_that_says_what_and_what_to_try(command, source, monkeypatch, capsys):
    kind, said = CASES[source]
    err = _said(command, source, monkeypatch, capsys)
    assert err.count("\n") == 1 and err.startswith(f"glassnet: warning: {said}, line "), err
    assert f'(NumPy: "{kind} encountered in' in err
    if command in ("train", "sweep"):
        assert "try values nearer the defaults" in err and "--lr" in err
    else:
        assert "values in --data far outside the model's training data" in err
    assert err.rstrip().endswith("please report it as a glassnet bug")


def test_said_once_per_command(monkeypatch, capsys):
    source = "np.exp(np.array([1000.0])); np.zeros(1) / np.zeros(1)"
    err = _said("predict", source, monkeypatch, capsys, times=3)
    assert err.count("glassnet: warning:") == 1 and "an overflow" in err


def test_glassnet_s_own_runtime_warning_is_not_taken_for_numpy_s(monkeypatch, capsys):
    err = _said("train", "import warnings; warnings.warn('a note', RuntimeWarning)",
                monkeypatch, capsys)  # fmt: skip
    assert err == "glassnet: warning: a note\n"


@pytest.mark.parametrize(
    ("message", "kind"),
    [("overflow encountered in dot", "overflow"), ("invalid value encountered in subtract",
     "invalid value"), ("divide by zero encountered in log", "divide by zero"),
     ("underflow encountered in multiply", "underflow"), ("Mean of empty slice", None),
     ("a note of glassnet's", None)],
)  # fmt: skip
def test_kinds(message, kind):
    assert float_kind(message) == kind
    line = float_line(message, "/x/site-packages/glassnet/core/layers.py", 37, "predict")
    assert (line is None) == (kind is None)
    if line is not None:
        assert "in glassnet.core.layers, line 37" in line
