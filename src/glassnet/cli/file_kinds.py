"""What a file is, when a glassnet command wrote it: moved to
:mod:`glassnet.files.file_kinds` (the library's writers check it too); the names stay
importable from here."""

from __future__ import annotations

from glassnet.files.file_kinds import DEMO_PARAMS as DEMO_PARAMS
from glassnet.files.file_kinds import MODEL as MODEL
from glassnet.files.file_kinds import WRITES as WRITES
from glassnet.files.file_kinds import glassnet_wrote as glassnet_wrote
from glassnet.files.file_kinds import npz_format as npz_format
from glassnet.files.file_kinds import others_model as others_model
from glassnet.files.file_kinds import run_file_kind as run_file_kind
from glassnet.files.file_kinds import sweeps_history as sweeps_history

__all__: list[str] = []  # documented in glassnet.files.file_kinds
