"""``dir(glassnet)`` lists what ``glassnet.__all__`` promises, each name once, whether
it has been loaded (PEP 562's lazy names) or not; and no helper the package itself
imports (``importlib``, ``Any``, ``TYPE_CHECKING``, the private ``_moved``)."""

from __future__ import annotations

import subprocess
import sys

import glassnet


def _dir_in_fresh_process(touch: str) -> list[str]:
    code = f"import glassnet\n{touch}\nprint('\\n'.join(dir(glassnet)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_every_public_name_once_loaded_or_not():
    for touch in ("", "glassnet.Network; glassnet.make_circles; glassnet.load"):
        names = _dir_in_fresh_process(touch)
        assert len(names) == len(set(names)), touch
        assert set(glassnet.__all__) <= set(names)
        assert "__version__" in names
        assert not {"importlib", "Any", "TYPE_CHECKING", "annotations", "_moved"} & set(names)


def test_every_listed_name_resolves():
    for name in dir(glassnet):
        if not name.startswith("__"):
            assert getattr(glassnet, name) is not None
