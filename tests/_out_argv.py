"""The command line of ``predict``, ``report`` or ``export-onnx`` writing ``--out OUT``, for
the tests of what each writes over (tests/test_out_kinds.py, tests/test_out_user_files.py)."""


def writing_argv(command, model, data, out):
    """``command``'s argv: the model file ``model``, the table ``data`` (its target column
    ``label``, for ``report``; ``export-onnx`` reads no data) and the file ``out`` it writes."""
    return {
        "predict": ["predict", "--model", str(model), "--data", str(data), "--out", str(out)],
        "report": ["report", "--model", str(model), "--data", str(data), "--target", "label",
                   "--out", str(out)],  # fmt: skip
        "export-onnx": ["export-onnx", "--model", str(model), "--out", str(out)],
    }[command]
