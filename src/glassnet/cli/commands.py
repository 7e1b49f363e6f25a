"""What ``glassnet train``, ``predict``, ``evaluate`` and ``export-onnx`` do, gathered under
their former home: each lives in its own module since 0.2 (:mod:`glassnet.cli.train_command`,
:mod:`glassnet.cli.predict_command`, :mod:`glassnet.cli.run_outputs`,
:mod:`glassnet.cli.model_data`); the names below keep working from here.
"""

from __future__ import annotations

from glassnet.cli.model_data import (
    TABLES,
    class_codes,
    features_for,
    model_table,
    prediction_rows,
    warn_unseen,
)
from glassnet.cli.predict_command import evaluate, export_onnx, predict
from glassnet.cli.run_outputs import (
    data_lines,
    encoding_lines,
    extras_paths,
    loss_figure,
    summary_lines,
)
from glassnet.cli.train_command import train
from glassnet.cli.train_inputs import RECIPE_FLAGS, recipe_from_args, training_data

__all__ = [
    "RECIPE_FLAGS",
    "TABLES",
    "class_codes",
    "data_lines",
    "encoding_lines",
    "evaluate",
    "export_onnx",
    "extras_paths",
    "features_for",
    "loss_figure",
    "model_table",
    "predict",
    "prediction_rows",
    "recipe_from_args",
    "summary_lines",
    "train",
    "training_data",
    "warn_unseen",
]
