"""The numerical core: the equations of a multilayer perceptron and nothing else.

Activations, the dense layer, the fused output heads (losses), the network with its one
seam ``loss_and_grad``, optimizers, learning-rate schedules, gradient checking, input
checks and the compiled in-place step. Imports NumPy only, never a layer above it.
"""
