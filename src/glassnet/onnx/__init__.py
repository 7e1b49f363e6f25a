"""ONNX adapter: export a glassnet model as an ONNX graph."""
