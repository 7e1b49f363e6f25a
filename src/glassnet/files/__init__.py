"""Files: atomic writes, model files and training checkpoints.

Imports the core, data and training layers only; no pickle anywhere.
"""
