"""
A scikit-learn pipeline with grid search
========================================

glassnet's estimators are scikit-learn estimators, so they sit at the end of a
``Pipeline`` and ``GridSearchCV`` tunes them like any other. Here: the width of the
hidden layer and the L2 penalty ``alpha`` for the wine data, by 3-fold cross-validation.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_wine
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import glassnet

X, y = load_wine(return_X_y=True)  # X (178, 13), three cultivars
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
pipe = Pipeline([
    ("scale", StandardScaler()),
    ("net", glassnet.MLPClassifier(max_iter=60, random_state=0)),
])  # fmt: skip
grid = {"net__hidden_layer_sizes": [(2,), (8,), (32,)], "net__alpha": [1e-4, 1e-1, 3.0]}
search = GridSearchCV(pipe, grid, cv=3).fit(X_train, y_train)
print("best:", search.best_params_, f"cross-validated accuracy {search.best_score_:.3f}")
print(f"test accuracy of the refitted best pipeline: {search.score(X_test, y_test):.3f}")

# %%
# The mean cross-validated accuracy of every candidate.

scores = search.cv_results_["mean_test_score"].reshape(3, 3)  # (widths, alphas)
fig, ax = plt.subplots(figsize=(5, 3.5))
image = ax.imshow(scores, cmap="viridis", vmin=scores.min(), vmax=1.0)
ax.set_xticks(range(3), [str(a) for a in grid["net__alpha"]])
ax.set_yticks(range(3), [str(h[0]) for h in grid["net__hidden_layer_sizes"]])
ax.set(xlabel="alpha", ylabel="hidden units")
for (i, j), s in np.ndenumerate(scores):
    ax.text(j, i, f"{s:.2f}", ha="center", va="center", color="white" if s < 0.9 else "black")
fig.colorbar(image, ax=ax, label="accuracy")
