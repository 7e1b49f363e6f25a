"""``glassnet.cli.model_inputs`` (which data a model takes) split from
``glassnet.cli.model_data`` (reading it): the moved names import from the old module as the
same objects, and stay out of its ``__all__`` (documented once, in their new home)."""

from __future__ import annotations

import glassnet.cli.model_data as model_data
import glassnet.cli.model_inputs as model_inputs

MOVED = ["TABLES", "check_table", "check_width", "trained_on_arrays", "width_error"]


def test_moved_names_are_the_same_objects_from_the_old_module():
    for name in MOVED:
        assert getattr(model_data, name) is getattr(model_inputs, name)
        assert name in model_inputs.__all__ and name not in model_data.__all__


def test_each_all_names_its_own_definitions():
    for module in (model_data, model_inputs):
        for name in module.__all__:
            value = getattr(module, name)
            if callable(value) and hasattr(value, "__qualname__"):  # a function defined here
                assert value.__module__ == module.__name__, name
