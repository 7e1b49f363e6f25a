"""The data layer: reading tables, built-in data sets, scaling and minibatches.

Imports the core only. ``glassnet.data`` still offers the names of the former
``glassnet.data`` module (``load_table``, ``DataError``, ...), now in ``glassnet.data.tables``.
"""

from glassnet.data.tables import DataError, Table, encode_labels, load_table, split_indices

__all__ = ["DataError", "Table", "encode_labels", "load_table", "split_indices"]
