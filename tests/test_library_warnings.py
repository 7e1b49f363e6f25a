"""Other libraries' warnings stay off the command line's stderr, also those that name a line
of glassnet as their place (matplotlib's ``warn_external``: "Tight layout not applied" from
a glassnet figure); glassnet's own are one line each; and the class figures stay usable
with many classes: their legend names the first ones and counts the rest (NU9 15)."""

import sys
import warnings

import numpy as np
import pytest

import glassnet.cli.quiet as quiet
from glassnet.cli.quiet import library_warnings_quiet


def _library(tmp_path, stacklevel):
    """A function in a file outside glassnet that warns ``stacklevel`` frames up."""
    path = tmp_path / "otherlib.py"
    path.write_text("import warnings\n\ndef note(msg):\n"
                    f"    warnings.warn(msg, UserWarning, stacklevel={stacklevel})\n")  # fmt: skip
    namespace: dict = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace["note"]


def _in_glassnet(source, **names):
    """``source`` run as if it were code of glassnet's (its file is glassnet's)."""
    namespace = dict(names)
    exec(compile(source, quiet.__file__, "exec"), namespace)
    return namespace["run"]


@pytest.fixture
def quiet_cli(monkeypatch, capsys):
    monkeypatch.setattr(sys, "warnoptions", [])

    def run(fn):
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            with library_warnings_quiet():
                fn()
        return capsys.readouterr().err

    return run


@pytest.mark.parametrize("stacklevel", [2, 3])
def test_a_library_warning_that_names_glassnet_s_line_is_dropped(tmp_path, quiet_cli,
                                                                 stacklevel):  # fmt: skip
    note = _library(tmp_path, stacklevel)
    # glassnet code calls the library (through one more glassnet frame for stacklevel 3)
    inner = _in_glassnet("def run():\n    note('Tight layout not applied.')\n", note=note)
    outer = _in_glassnet("def run():\n    inner()\n", inner=inner)
    assert quiet_cli(inner if stacklevel == 2 else outer) == ""


def test_glassnet_s_own_warning_is_one_line(quiet_cli):
    own = _in_glassnet(
        "import warnings\n\ndef run():\n    warnings.warn('a note\\nfrom glassnet', UserWarning)\n"
    )
    called = _in_glassnet("def run():\n    own()\n", own=own)
    assert quiet_cli(called) == "glassnet: warning: a note from glassnet\n"


def test_numpy_s_runtime_warning_in_glassnet_code_is_still_shown(quiet_cli):
    run = _in_glassnet("import numpy as np\n\ndef run():\n    np.log(np.zeros(1))\n")

    def under_numpy_warnings():
        with np.errstate(divide="warn"):
            run()

    said = quiet_cli(under_numpy_warnings)
    assert said.startswith("glassnet: warning: a division by zero in glassnet.cli.quiet")
    assert "(NumPy: \"divide by zero encountered in log\")" in said


@pytest.mark.parametrize("classes", [3, 10, 11, 60, 214])
@pytest.mark.parametrize("units", [2, 3, 5])
def test_class_figures_with_many_classes_lay_out_without_a_warning(classes, units):
    """The test suite turns warnings into errors: matplotlib's would fail this test."""
    from glassnet.views.plotting import plot_hidden_projection

    rng = np.random.default_rng(0)
    t = np.arange(2 * classes) % classes
    names = [f"class name {c}" for c in range(classes)]
    fig = plot_hidden_projection(rng.normal(size=(2 * classes, units)), t, "hidden", names)
    legend = fig.axes[0].get_legend()
    shown = [text.get_text() for text in legend.get_texts()]
    if classes <= 10:
        assert shown == names
    else:
        assert shown == [*names[:9], f"... {classes - 9} more classes (colours repeat)"]
