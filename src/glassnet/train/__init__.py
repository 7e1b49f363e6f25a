"""Training: the one loop (``glassnet.train.loop.fit``), its state, history and progress.

Imports the core and the data layer only.
"""
