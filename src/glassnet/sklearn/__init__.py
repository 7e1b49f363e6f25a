"""scikit-learn adapters: ``MLPClassifier`` and ``MLPRegressor`` on glassnet's core.

The only place besides the data-set loaders that imports scikit-learn.
"""
