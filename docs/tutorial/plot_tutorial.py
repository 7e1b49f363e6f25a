r"""
The 2-3-2 network, step by step
===============================

This page rebuilds the tutorial's vectorized network with glassnet's own pieces: the data,
the forward pass, the output error, the hidden error, the gradients with their shapes, the
gradient check, momentum, the loss curve, the decision boundary and the data as the 3-D
hidden layer sees it. Every number and figure below was computed by running this script
when the site was built; ``glassnet demo`` runs the same computation.

The network takes 2-D inputs, maps them onto a hidden layer of 3 logistic units and
classifies them with a 2-class softmax output. All 100 samples are processed at once: a
matrix per layer, the batch first.
"""

# %%
# The data
# --------
# Two classes on concentric circles: red stars (class 0) on the outer circle, blue circles
# (class 1) inside, with a little noise. No straight line separates them, so a model
# without a hidden layer cannot classify them all. Everything random comes from one
# seeded stream, in the tutorial's order: the data first, then the parameters.

import numpy as np

import glassnet as gn
from glassnet.data.datasets import CIRCLES_CLASSES
from glassnet.train.tutorial import TutorialConfig, draw_params, run_tutorial, tutorial_data
from glassnet.views import plotting

config = TutorialConfig()  # seed 1, 100 samples, 3 hidden units, mu = 0.02, lambda = 0.9
rs, X, t, T, net = tutorial_data(config)  # the stream after the data, X (N, 2), t (N,), T (N, 2)
print("X", X.shape, X.dtype, "| t", t.shape, "| T (one-hot targets)", T.shape)
print("samples per class:", np.bincount(t))
print(net.sizes, "-", net.n_params, "parameters")

CLASSES = CIRCLES_CLASSES  # the tutorial's names: "red stars (t=0)", "blue circles (t=1)"
fig_data = plotting.plot_dataset(X, t, CLASSES, "The circles data")

# %%
# The forward pass
# ----------------
# The hidden layer projects the inputs with the weight matrix :math:`W_h` (2, 3) and the
# bias :math:`\mathbf{b}_h` (1, 3), and squashes the result with the logistic function
# :math:`\sigma(z) = 1 / (1 + e^{-z})`:
#
# .. math::
#
#    Z_h = X W_h + \mathbf{b}_h, \qquad H = \sigma(Z_h)
#
# The output layer does the same with :math:`W_o` (3, 2) and :math:`\mathbf{b}_o` (1, 2),
# and the softmax turns each row into class probabilities:
#
# .. math::
#
#    Z_o = H W_o + \mathbf{b}_o, \qquad y_{ic} = \frac{e^{z_{ic}}}{\sum_{d} e^{z_{id}}}
#
# The tutorial first draws parameters with standard deviation 1 for the gradient check,
# then parameters with standard deviation 0.1 to train from. glassnet's
# :func:`~glassnet.train.tutorial.draw_params` draws them from the same stream in the same
# order. Each :class:`~glassnet.core.layers.Dense` layer computes ``X @ W + b`` and keeps its
# input as the cache for the backward pass.

check_params = draw_params(rs, net.sizes, config.check_init_scale)
params = draw_params(rs, net.sizes, config.init_scale)
hidden_layer, output_layer = net.layers
(p_h, p_o) = params

Z_h, cache_h = hidden_layer.forward(p_h, X)  # (100, 3)
H = net.activations[0].forward(Z_h)  # (100, 3), logistic
Z_o, cache_o = output_layer.forward(p_o, H)  # (100, 2)
Y = net.head.output(Z_o)  # (100, 2), softmax: each row sums to 1
print("Z_h", Z_h.shape, " H", H.shape, " Z_o", Z_o.shape, " Y", Y.shape)
print("first three rows of Y:\n", np.round(Y[:3], 4))

# %%
# The loss and the output error
# -----------------------------
# The loss is the cross-entropy summed over the :math:`N` samples and :math:`C` classes:
#
# .. math::
#
#    \xi(T, Y) = -\sum_{i=1}^{N} \sum_{c=1}^{C} t_{ic} \log y_{ic}
#
# Fused with the softmax, its gradient with respect to the output layer's input is simply
#
# .. math::
#
#    \delta_o = \frac{\partial \xi}{\partial Z_o} = Y - T \qquad (N \times 2)
#
# glassnet computes the loss from the logits :math:`Z_o` (a log-softmax), so it stays
# finite however confident the network is.

loss, E_o = net.head.loss_and_error(Z_o, T)
print(f"loss at the start: {loss:.4f}")
print("E_o", E_o.shape, " equals Y - T:", np.allclose(E_o, Y - T))

# %%
# The output layer's gradients
# ----------------------------
# Summed over the samples, the gradients of the output layer are matrix products:
#
# .. math::
#
#    J_{W_o} = \frac{\partial \xi}{\partial W_o} = H^\top \delta_o \quad (3 \times 2),
#    \qquad
#    J_{\mathbf{b}_o} = \frac{\partial \xi}{\partial \mathbf{b}_o}
#    = \sum_{i=1}^{N} \delta_{oi} \quad (1 \times 2)
#
# :meth:`Dense.backward <glassnet.core.layers.Dense.backward>` computes both, and the error
# it passes down to the hidden layer, :math:`\delta_o W_o^\top`.

dH, grads_o = output_layer.backward(E_o, cache_o, p_o)
print("J_Wo", grads_o["W"].shape, "\n", np.round(grads_o["W"], 4))
print("J_bo", grads_o["b"].shape, np.round(grads_o["b"], 4))

# %%
# The hidden error and the hidden layer's gradients
# -------------------------------------------------
# The chain rule carries the error back through :math:`W_o` and the logistic function,
# whose derivative is :math:`\sigma'(z) = \sigma(z)(1 - \sigma(z)) = H \circ (1 - H)`:
#
# .. math::
#
#    \delta_h = \frac{\partial \xi}{\partial Z_h} = H \circ (1 - H) \circ (\delta_o W_o^\top)
#    \qquad (N \times 3)
#
# with :math:`\circ` the elementwise product. The hidden layer's gradients follow as at
# the output:
#
# .. math::
#
#    J_{W_h} = X^\top \delta_h \quad (2 \times 3), \qquad
#    J_{\mathbf{b}_h} = \sum_{i=1}^{N} \delta_{hi} \quad (1 \times 3)
#
# The first layer's input error would go nowhere, so
# :meth:`Dense.param_grads <glassnet.core.layers.Dense.param_grads>` gives its gradients alone.

E_h = net.activations[0].backward(dH, H)  # (100, 3)
print("E_h", E_h.shape, " equals H(1-H)(E_o W_o^T):",
      np.allclose(E_h, H * (1 - H) * (E_o @ p_o["W"].T)))  # fmt: skip
grads_h = hidden_layer.param_grads(E_h, cache_h)
print("J_Wh", grads_h["W"].shape, "\n", np.round(grads_h["W"], 4))
print("J_bh", grads_h["b"].shape, np.round(grads_h["b"], 4))

# %%
# These steps are exactly what :meth:`Network.loss_and_grad
# <glassnet.core.network.Network.loss_and_grad>` does, the one seam every glassnet trainer
# goes through:

loss_seam, grads = net.loss_and_grad(params, X, T)
same = all(np.array_equal(grads[i][k], g[k]) for i, g in enumerate([grads_h, grads_o])
           for k in ("W", "b"))  # fmt: skip
print(f"loss {loss_seam:.4f}; same gradients, bit for bit: {same}")

# %%
# The gradient check
# ------------------
# Backpropagation is easy to get subtly wrong, so glassnet checks it against central
# differences: each element :math:`\theta_i` of each parameter is moved by
# :math:`\pm\epsilon` and
#
# .. math::
#
#    \frac{\partial \xi}{\partial \theta_i} \approx
#    \frac{\xi(\theta_i + \epsilon) - \xi(\theta_i - \epsilon)}{2 \epsilon}
#
# is compared with the analytic gradient. The tutorial checks at the parameters drawn with
# standard deviation 1, where the gradients are large enough to mean something.

report = gn.check_network(net, check_params, X, T)
print(report.format())

# %%
# Training with momentum
# ----------------------
# The loss of a network with a hidden layer is not convex; plain gradient descent from a
# small start tends to stall. Momentum keeps a velocity :math:`M` per parameter that
# gathers speed downhill:
#
# .. math::
#
#    M(i + 1) = \lambda M(i) - \mu \frac{\partial \xi}{\partial \theta(i)},
#    \qquad \theta(i + 1) = \theta(i) + M(i + 1)
#
# with friction :math:`\lambda = 0.9` and learning rate :math:`\mu = 0.02`.
# :class:`~glassnet.core.optimizers.Momentum` is that rule as a pure ``init``/``update``
# pair; 300 full-batch iterations follow. The loop records the loss and the number of
# misclassified samples before the first update and after each one.

optimizer = gn.Momentum(config.learning_rate, config.momentum)
state = optimizer.init(params)
losses, wrong = [], []
theta = params
for i in range(config.iterations + 1):
    loss_i, grads_i = net.loss_and_grad(theta, X, T)
    losses.append(loss_i)
    wrong.append(int(np.sum(net.predict(theta, X) != t)))
    if i < config.iterations:
        updates, state = optimizer.update(grads_i, state, theta)
        theta = gn.apply_updates(theta, updates)

first_perfect = wrong.index(0)
print(f"initial loss {losses[0]:.3f}")
print(f"final loss {losses[-1]:.4f}")
print(f"all samples correct from iteration {first_perfect}")

# %%
# ``glassnet demo`` and :func:`~glassnet.train.tutorial.run_tutorial` compute the same run;
# the numbers agree exactly:

demo = run_tutorial(config)
print("same loss history as the demo:", demo.loss_history == losses)
print(demo.summary())

# %%
# The loss curve
# --------------
# A long plateau near :math:`100 \log 2 \approx 69.3` (the network still guesses 50/50),
# then a steep descent once the hidden units take different roles.

fig_loss = plotting.plot_loss(losses, title="Cross-entropy loss (momentum)")

# %%
# The decision boundary
# ---------------------
# The trained classifier's decision over the input plane: the blue region surrounds the
# blue circles, and every sample lies on its side.

fig_boundary = plotting.plot_decision_boundary(
    lambda P: net.predict(theta, P), X, t, class_names=CLASSES
)

# %%
# The data as the hidden layer sees it
# ------------------------------------
# Why can the network separate the circles? The hidden layer maps each 2-D sample to a
# point in 3-D through the nonlinear logistic function; there the two classes lie on
# either side of a plane, which the softmax output layer (a linear classifier of
# :math:`H`) can draw.

H_trained = net.hidden_activations(theta, X)[0]  # (100, 3)
fig_hidden = plotting.plot_hidden_projection(H_trained, t, class_names=CLASSES)
