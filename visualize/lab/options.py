"""The choices the page offers in network and train mode (plain data: no numpy here)."""

from __future__ import annotations

__all__ = ["NETWORK_OPTIONS", "TRAIN_OPTIONS", "ACTIVATIONS", "PRESETS", "DATASETS", "LOSSES"]

ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")
# preset -> the network and the sample network mode starts from
PRESETS = {
    "seed": {"sizes": [3, 4, 1], "activation": "sigmoid", "output_activation": "sigmoid",
             "seed": 0, "x": [0.5, -0.2, 0.8], "y": 0.9, "view": "full"},
    "micrograd": {"sizes": [2, 16, 16, 1], "activation": "relu",
                  "output_activation": "linear", "seed": 1, "x": [1.0, -0.5], "y": 1.0,
                  "view": "neuron"},
}
LOSSES = ("half_mse", "mse", "bce", "hinge")
# data set -> what train mode starts with for it
DATASETS = {
    "moons": {"hidden": [16, 16], "activation": "relu", "output_activation": "linear",
              "loss": "hinge", "lr": 0.1, "batch": 20},
    "xor": {"hidden": [8], "activation": "tanh", "output_activation": "linear",
            "loss": "bce", "lr": 0.3, "batch": 10},
    "circles": {"hidden": [8], "activation": "tanh", "output_activation": "linear",
                "loss": "bce", "lr": 0.3, "batch": 10},
    "spiral": {"hidden": [16, 16], "activation": "tanh", "output_activation": "linear",
               "loss": "bce", "lr": 0.1, "batch": 20},
    "seed": {"hidden": [4], "activation": "sigmoid", "output_activation": "sigmoid",
             "loss": "half_mse", "lr": 0.5, "batch": 10},
    "csv": {"hidden": [8], "activation": "tanh", "output_activation": "linear",
            "loss": "mse", "lr": 0.1, "batch": 10},
}
NETWORK_OPTIONS = {"presets": PRESETS, "activations": list(ACTIVATIONS)}
TRAIN_OPTIONS = {"datasets": DATASETS, "losses": list(LOSSES)}
