"""
Handwritten digits
==================

A 64-64-10 network on scikit-learn's 8x8 digits with :class:`glassnet.MLPClassifier`,
then a look at what it gets wrong and at what its hidden layer sees. Needs
scikit-learn (``pip install 'glassnet[sklearn]'``).
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import glassnet

X, y = load_digits(return_X_y=True)  # X (1797, 64) grey levels 0-16, y (1797,) digits 0-9
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y,
                                                    random_state=1)  # fmt: skip
clf = glassnet.MLPClassifier(hidden_layer_sizes=(64,), max_iter=40, standardize=True,
                             early_stopping=True, random_state=0)  # fmt: skip
clf.fit(X_train, y_train)
print(f"{clf.n_iter_} epochs ({clf.stop_reason_}); test accuracy {clf.score(X_test, y_test):.3f}")

# %%
# The loss per epoch, on the training rows and on the held-out validation split that
# early stopping watches.

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(clf.loss_curve_, label="training")
ax.plot(clf.validation_loss_curve_, label="validation")
ax.set(xlabel="epoch", ylabel="mean cross-entropy", yscale="log")
ax.legend()

# %%
# The confusion matrix on the test rows: row = true digit, column = prediction.

predicted = clf.predict(X_test)
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (y_test, predicted), 1)
print(confusion)

# %%
# The test digits it gets wrong, with the predicted and the true label.

wrong = np.flatnonzero(predicted != y_test)[:8]
fig, axes = plt.subplots(1, max(len(wrong), 1), figsize=(1.4 * max(len(wrong), 1), 1.8))
for ax, i in zip(np.atleast_1d(axes), wrong, strict=False):
    ax.imshow(X_test[i].reshape(8, 8), cmap="gray_r")
    ax.set_title(f"{predicted[i]} (is {y_test[i]})", fontsize=9)
    ax.axis("off")

# %%
# The hidden layer: 64 ReLU activations per digit, projected onto their first two
# principal components. Digits the network tells apart lie apart.

from glassnet.views.plotting import pca  # noqa: E402

hidden = clf.hidden_activations(X_test, layer=0)  # (360, 64)
coords, _ = pca(hidden, 2)
fig, ax = plt.subplots(figsize=(5, 4.5))
points = ax.scatter(coords[:, 0], coords[:, 1], c=y_test, cmap="tab10", s=12)
fig.colorbar(points, ax=ax, label="digit")
ax.set(xlabel="PC 1", ylabel="PC 2", title="Hidden layer, first two principal components")
