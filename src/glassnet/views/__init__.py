"""Views: diagnostics, figures, the HTML report, explain, the loss landscape, animation.

Plots return matplotlib figures (matplotlib is imported only when one is drawn); only the
report and the CLI write files.
"""
