"""Former module paths, kept working: ``import glassnet.training`` still gives the loop.

Version 0.2 moved every module into a subpackage by layer (``glassnet.training`` is now
``glassnet.train.loop``). An old path imports the module at its new home, under both
names, and warns with a ``DeprecationWarning`` that names the new path.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings
from importlib.machinery import ModuleSpec
from types import ModuleType

# former module path -> its home since 0.2
MOVED = {
    f"glassnet.{old}": f"glassnet.{new}"
    for old, new in {
        "_backend": "core._backend",
        "_types": "core._types",
        "activations": "core.activations",
        "layers": "core.layers",
        "losses": "core.losses",
        "network": "core.network",
        "optimizers": "core.optimizers",
        "schedules": "core.schedules",
        "gradcheck": "core.gradcheck",
        "fast": "core.fast",
        "validation": "core.validation",
        "datasets": "data.datasets",
        "preprocessing": "data.preprocessing",
        "batching": "data.batching",
        "training": "train.loop",
        "training_state": "train.state",
        "history": "train.history",
        "progress": "train.progress",
        "tutorial": "train.tutorial",
        "fileio": "files.fileio",
        "modelfile": "files.modelfile",
        "checkpoint": "files.checkpoint",
        "diagnostics": "views.diagnostics",
        "figures": "views.figures",
        "plotting": "views.plotting",
        "report": "views.report",
        "report_html": "views.report_html",
        "run_report": "views.run_report",
        "explain": "views.explain",
        "landscape": "views.landscape",
        "animation": "views.animation",
        "estimators": "sklearn.estimators",
        "estimator_base": "sklearn.estimator_base",
        "onnx_export": "onnx.export",
        "commands": "cli.commands",
        "workflow": "cli.workflow",
        "demo": "cli.demo",
    }.items()
}


class _Alias(importlib.abc.Loader):
    def __init__(self, new: str) -> None:
        self.new = new

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        warnings.warn(
            f"{spec.name} has moved to {self.new}; import it from there "
            "(the old path will be removed in a future release)",
            DeprecationWarning,
            stacklevel=2,  # warnings skips the import machinery's frames: the importer
        )
        return importlib.import_module(self.new)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the module was imported at its new home."""


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> ModuleSpec | None:
        new = MOVED.get(fullname)
        return None if new is None else importlib.util.spec_from_loader(fullname, _Alias(new))


def install() -> None:
    """Put the finder for former paths on ``sys.meta_path`` (once)."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.append(_Finder())
