"""Sphinx configuration for glassnet's documentation site.

Build (warnings are errors, the examples are executed)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

Nothing is fetched from the network: MathJax is served from the site itself
(sphinx-mathjax-offline), and there is no intersphinx.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures are drawn headless at build time

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import glassnet  # noqa: E402

project = "glassnet"
author = "the glassnet developers"
copyright = "the glassnet developers"
release = glassnet.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax 3 copied into _static: no CDN
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
    "glassnet_docs",  # API pages and CLI help generated from the installed package
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "notebooks", "examples/GALLERY_HEADER.rst",
                    "tutorial/GALLERY_HEADER.rst"]  # fmt: skip
templates_path: list[str] = []

myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3

autodoc_default_options = {"members": True, "undoc-members": True, "show-inheritance": True}
autodoc_typehints = "none"  # numpydoc and the signatures carry the types
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

sphinx_gallery_conf = {
    "examples_dirs": ["tutorial", "examples"],
    "gallery_dirs": ["tutorial_executed", "auto_examples"],
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib", "glassnet_docs"),  # pyplot figures; glassnet's Figures
    "reset_modules": ("matplotlib",),
    "show_memory": False,
    "capture_repr": (),  # only what the examples print, not the last value of a block
    "plot_gallery": os.environ.get("GLASSNET_DOCS_PLOT", "True"),
    "abort_on_example_error": True,
}

html_theme = "pydata_sphinx_theme"
html_title = f"glassnet {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_context = {"default_mode": "light"}  # no theme-mode guess logged to the console
html_static_path: list[str] = []
html_last_updated_fmt = None
html_show_sourcelink = False
