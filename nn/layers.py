"""``Neuron``, ``Layer`` and ``MLP``: the seed's a = g(Wᵀx + b), layer by layer.

Labels follow the seed: weight ``W[l]_jk`` joins input j of layer l-1 to neuron k of layer l
(``W[l]_j,k`` in a network where an index has two digits), bias ``b[l]_k``; each forward call
names its nodes ``z[l]_k`` (pre-activation) and ``a[l]_k``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from numbers import Integral, Real

from autograd import Value, linear
from autograd.extend import OPS, labels, trn
from nn.module import Module, is_array

__all__ = ["Neuron", "Layer", "MLP", "activations", "INITS"]

INITS = ("uniform", "xavier", "he")


def activations() -> tuple[str, ...]:
    """The activation names: every op of the table of ops that says ``activation=True``
    (relu, tanh, sigmoid, and any op defined so), and "linear" (no activation)."""
    return (*(op.method for op in OPS.values() if op.activation), "linear")


class Neuron(Module):
    """One neuron: z = Σ_j w_j x_j + b as a single node, then a = g(z).

    Args:
        nin: number of inputs.
        activation: "relu", "tanh", "sigmoid", "linear" (none) or any op defined as an
            activation (``activations()``); ``True``/``False`` mean relu/linear.
        nonlin: micrograd's flag (``True`` = relu, ``False`` = linear); overrides ``activation``.
        init: "uniform" (U(-1, 1), micrograd's), "xavier" (U(±√(6/(nin+fan_out))), for
            tanh/sigmoid) or "he" (U(±√(6/nin)), for relu). The bias starts at 0.
        seed: an int for a private ``random.Random(seed)``, a ``random.Random`` to draw from,
            or None for the global ``random`` module (as micrograd, so ``random.seed`` works).
        layer_index: l in the labels (1 for the first hidden layer).
        neuron_index: k in the labels (1-based).
        fan_out: size of the neuron's layer, used by "xavier".
    """

    def __init__(self, nin: int, activation: str | bool = "relu", *, nonlin: bool | None = None,
                 init: str = "uniform", seed: int | random.Random | None = None,
                 layer_index: int = 1, neuron_index: int = 1, fan_out: int = 1):
        _check_size(nin, "Neuron: nin")
        rng = _rng(seed)
        bound = _init_bound(init, nin, fan_out)
        l, k = layer_index, neuron_index
        wide = max(nin, fan_out) > 9   # its layer has two-digit indices: W[l]_j,k
        self.w = [Value(rng.uniform(-bound, bound), label=labels.weight(l, j + 1, k, wide))
                  for j in range(nin)]
        self.b = Value(0.0, label=labels.bias(l, k))
        self.activation = activation if nonlin is None else bool(nonlin)
        self._z_label, self._a_label = labels.pre_activation(l, k), labels.activation(l, k)

    @property
    def activation(self) -> str:
        """The activation's name: "relu", "tanh", "sigmoid", "linear" or one you defined."""
        return self._activation

    @activation.setter
    def activation(self, name: str | bool) -> None:
        self._activation = _check_activation(name)
        self._apply = None if self._activation == "linear" else getattr(Value, self._activation)

    @property
    def nonlin(self) -> bool:
        """micrograd's flag: True unless the neuron is linear."""
        return self._activation != "linear"

    def __call__(self, x) -> Value:
        """The neuron's output for one sample (floats, Values or a 1-D numpy row)."""
        return self._forward(_inputs(x, len(self.w), repr(self)))

    def _forward(self, xs: list) -> Value:
        z = linear(self.w, xs, self.b, self._z_label)
        if self._apply is None:
            return z
        a = self._apply(z)
        a.label = self._a_label
        return a

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, {self._activation!r})"


class Layer(Module):
    """``nout`` neurons reading the same inputs.

    Args:
        nin: number of inputs.
        nout: number of neurons.
        activation, nonlin, init, seed: as for ``Neuron``.
        layer_index: l in the labels.

    Calling a layer returns a list of Values, or a single Value when it has one neuron
    (as micrograd does).
    """

    def __init__(self, nin: int, nout: int, activation: str | bool = "relu", *,
                 nonlin: bool | None = None, init: str = "uniform",
                 seed: int | random.Random | None = None, layer_index: int = 1):
        _check_size(nin, "Layer: nin")
        _check_size(nout, "Layer: nout")
        rng = _rng(seed)
        self.neurons = [Neuron(nin, activation, nonlin=nonlin, init=init, seed=rng,
                               layer_index=layer_index, neuron_index=k + 1, fan_out=nout)
                        for k in range(nout)]

    @property
    def activation(self) -> str:
        """The activation of the layer's neurons."""
        return self.neurons[0].activation

    def __call__(self, x) -> Value | list[Value]:
        """The layer's outputs for one sample; a single Value if the layer has one neuron."""
        out = self._forward(_inputs(x, len(self.neurons[0].w), repr(self)))
        return out[0] if len(out) == 1 else out

    def _forward(self, xs: list) -> list[Value]:
        return [n._forward(xs) for n in self.neurons]

    def __repr__(self) -> str:
        return f"Layer({len(self.neurons[0].w)}, {len(self.neurons)}, {self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: layers of sizes ``nouts`` applied one after the other.

    Args:
        nin: number of inputs (layer 0, x_1..x_nin).
        nouts: sizes of the layers, hidden ones first, the output layer last.
        activation: activation of the hidden layers.
        output_activation: activation of the output layer.
        seed: an int makes the initialisation reproducible with a private ``random.Random``;
            None draws from the global ``random`` module, as micrograd does.
        init: "uniform", "xavier" or "he" (see ``Neuron``).

    ``MLP(2, [16, 16, 1])`` is micrograd's model: U(-1, 1) weights, zero biases, ReLU hidden
    layers and a linear output. Calling it returns a Value when the last layer has one neuron,
    otherwise a list of Values.
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu",
                 output_activation: str = "linear", seed: int | random.Random | None = None,
                 init: str = "uniform"):
        _check_size(nin, "MLP: nin")
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or not nouts:
            raise ValueError(f"MLP: nouts must be a non-empty list of layer sizes, got {nouts!r}")
        for n in nouts:
            _check_size(n, "MLP: layer size")
        _check_activation(activation)
        _check_activation(output_activation)
        _init_bound(init, 1, 1)
        rng = _rng(seed)
        sizes = [int(nin)] + [int(n) for n in nouts]
        last = len(nouts) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1],
                             output_activation if i == last else activation,
                             init=init, seed=rng, layer_index=i + 1)
                       for i in range(len(nouts))]
        if max(sizes) > 9:   # one index style in the whole network: W[l]_j,k everywhere
            for l, layer in enumerate(self.layers, start=1):
                for k, n in enumerate(layer.neurons, start=1):
                    for j, w in enumerate(n.w, start=1):
                        w.label = labels.weight(l, j, k, wide=True)

    def __call__(self, x) -> Value | list[Value]:
        """The network's output for one sample (floats, Values or a 1-D numpy row)."""
        xs = _inputs(x, len(self.layers[0].neurons[0].w), self._name())
        for layer in self.layers:
            xs = layer._forward(xs)
        return xs[0] if len(xs) == 1 else xs

    def _name(self) -> str:
        sizes = [len(layer.neurons) for layer in self.layers]
        return f"MLP({len(self.layers[0].neurons[0].w)}, {sizes})"

    def _shape(self) -> str:
        parts = [str(len(self.layers[0].neurons[0].w))]
        parts += [f"{len(layer.neurons)} {layer.activation}" for layer in self.layers]
        return " -> ".join(parts)

    def __repr__(self) -> str:
        return f"MLP({self._shape()}; {len(self.parameters())} parameters)"

    def __str__(self) -> str:
        """As ``repr``, for a reader: in their language (a repr stays English)."""
        return trn("MLP({layers}; {n} parameter)", "MLP({layers}; {n} parameters)",
                   len(self.parameters()), layers=self._shape())


def _inputs(x, nin: int, who: str) -> list:
    """One sample as a list of floats and Values, its length checked."""
    if is_array(x):
        if x.ndim > 1:
            raise ValueError(f"{who}: expected one sample (a 1-D row of {nin} inputs), "
                             f"got an array of shape {x.shape}")
        xs = x.tolist() if x.ndim == 1 else [x.item()]
    elif isinstance(x, (Value, Real)):
        xs = [x]
    else:
        try:
            xs = list(x)
        except TypeError:
            raise TypeError(f"{who}: expected a list of {nin} numbers or Values, "
                            f"got {type(x).__name__}") from None
    if len(xs) != nin:
        raise ValueError(f"{who}: expected {nin} inputs, got {len(xs)}")
    return xs


def _check_size(n, what: str) -> None:
    if isinstance(n, bool) or not isinstance(n, Integral) or n < 1:
        raise ValueError(f"{what} must be a positive int, got {n!r}")


def _check_activation(name) -> str:
    if name is True:
        return "relu"
    if name is False:
        return "linear"
    names = activations()
    if not isinstance(name, str) or name not in names:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(names)}")
    return name


def _init_bound(init: str, nin: int, fan_out: int) -> float:
    """Half-width of the uniform distribution the weights are drawn from."""
    if init == "uniform":
        return 1.0
    if init == "xavier":
        return math.sqrt(6.0 / (nin + fan_out))
    if init == "he":
        return math.sqrt(6.0 / nin)
    raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")


def _rng(seed):
    """The random source for a seed: the global module, a private generator, or the one given."""
    if seed is None or seed is random:
        return random
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"seed must be an int, a random.Random or None, got {seed!r}")
    return random.Random(int(seed))
