"""Former module paths keep working and warn of their new home."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from glassnet._moved import MOVED


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_path_imports_the_new_module_and_warns(old: str) -> None:
    new = MOVED[old]
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=rf"{old} has moved to {new}"):
        module = importlib.import_module(old)
    assert module is importlib.import_module(new)


def test_from_import_of_a_former_path_gives_the_same_function() -> None:
    code = (
        "import warnings; warnings.simplefilter('error')\n"
        "from glassnet.train.loop import fit\n"
        "try:\n"
        "    from glassnet.training import fit as old\n"
        "except DeprecationWarning as w:\n"
        "    print('warned:', w)\n"
        "warnings.simplefilter('ignore')\n"
        "from glassnet.training import fit as old\n"
        "assert old is fit\n"
        "from glassnet.data import load_table  # the package keeps the old module's names\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "warned: glassnet.training has moved to glassnet.train.loop" in out.stdout


def test_the_warning_points_at_the_importing_line(tmp_path) -> None:
    script = tmp_path / "user_code.py"
    script.write_text("import glassnet.workflow\n")
    out = subprocess.run(
        [sys.executable, "-W", "always::DeprecationWarning", str(script)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "user_code.py:1: DeprecationWarning: glassnet.workflow has moved" in out.stderr


def test_unknown_paths_still_fail() -> None:
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("glassnet.no_such_module")
