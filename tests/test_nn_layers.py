"""Neuron, Layer, MLP: micrograd compatibility, seed labels, inputs, initialisation, errors."""

import math
import random
import re

import numpy as np
import pytest

from autograd import Value
from nn import MLP, Layer, Neuron

PARAM_RE = re.compile(r"^([Wbza])\[(\d+)\]_(\d+)$")
WEIGHT_RE = re.compile(r"^W\[(\d+)\]_(?:(\d+),(\d+)|(\d)(\d))$")


# -- micrograd compatibility ----------------------------------------------------------------

def test_same_weights_outputs_and_gradients_as_micrograd():
    mg = pytest.importorskip("micrograd.nn")
    random.seed(1337)
    ours = MLP(2, [16, 16, 1])
    random.seed(1337)
    theirs = mg.MLP(2, [16, 16, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    out, ref = ours([0.5, -1.5]), theirs([0.5, -1.5])
    assert out.data == pytest.approx(ref.data, rel=1e-12, abs=1e-12)
    out.backward()
    ref.backward()
    for a, b in zip(ours.parameters(), theirs.parameters()):
        assert a.grad == pytest.approx(b.grad, rel=1e-12, abs=1e-12)


def test_micrograd_style_neuron_api():
    random.seed(0)
    n = Neuron(3, nonlin=True)
    assert len(n.w) == 3 and isinstance(n.b, Value) and n.b.data == 0.0
    assert n.parameters() == n.w + [n.b]
    assert n.nonlin and n.activation == "relu"
    assert Neuron(3, nonlin=False).activation == "linear"
    assert Neuron(3, False).activation == "linear"  # micrograd's flag given positionally
    out = n([1.0, 2.0, 3.0])
    out.backward()
    assert any(p.grad != 0.0 for p in n.parameters()) or out.data == 0.0
    n.zero_grad()
    assert all(p.grad == 0.0 for p in n.parameters())


def test_micrograd_model_shape_and_defaults():
    model = MLP(2, [16, 16, 1])
    assert [len(layer.neurons) for layer in model.layers] == [16, 16, 1]
    assert [layer.activation for layer in model.layers] == ["relu", "relu", "linear"]
    assert len(model.parameters()) == 16 * 3 + 16 * 17 + 17
    weights = [w.data for layer in model.layers for n in layer.neurons for w in n.w]
    assert all(-1.0 <= w <= 1.0 for w in weights) and max(weights) > 0.5 > -0.5 > min(weights)
    assert all(n.b.data == 0.0 for layer in model.layers for n in layer.neurons)


# -- activations ----------------------------------------------------------------------------

@pytest.mark.parametrize("name, g", [
    ("relu", lambda z: max(z, 0.0)),
    ("tanh", math.tanh),
    ("sigmoid", lambda z: 1.0 / (1.0 + math.exp(-z))),
    ("linear", lambda z: z),
])
def test_each_activation_applies_its_function(name, g):
    n = Neuron(2, activation=name, seed=4)
    for x in ([0.3, -0.7], [-2.0, 1.5]):
        z = n.w[0].data * x[0] + n.w[1].data * x[1] + n.b.data
        assert n(x).data == pytest.approx(g(z), abs=1e-15)


def test_unknown_activation_and_init_list_the_valid_names():
    with pytest.raises(ValueError, match="unknown activation 'gelu'.*tanh, sigmoid, relu, linear"):
        Neuron(2, activation="gelu")
    with pytest.raises(ValueError, match="unknown activation"):
        MLP(2, [3, 1], output_activation="softmax")
    with pytest.raises(ValueError, match="unknown init 'glorot'.*uniform, xavier, he"):
        MLP(2, [3, 1], init="glorot")


def test_bad_sizes_are_value_errors():
    with pytest.raises(ValueError, match="nin must be a positive int"):
        MLP(0, [3])
    with pytest.raises(ValueError, match="non-empty list"):
        MLP(2, [])
    with pytest.raises(ValueError, match="layer size must be a positive int, got 2.5"):
        MLP(2, [2.5, 1])
    with pytest.raises(ValueError, match="nout"):
        Layer(2, 0)


# -- initialisation -------------------------------------------------------------------------

def test_seed_is_reproducible_and_leaves_global_random_alone():
    state = random.getstate()
    a = MLP(3, [4, 1], seed=7)
    assert random.getstate() == state
    b = MLP(3, [4, 1], seed=7)
    c = MLP(3, [4, 1], seed=8)
    assert a.state_dict() == b.state_dict() != c.state_dict()


def test_no_seed_draws_from_global_random_like_micrograd():
    random.seed(42)
    a = MLP(2, [3, 1]).state_dict()
    random.seed(42)
    assert MLP(2, [3, 1]).state_dict() == a


@pytest.mark.parametrize("init, bound", [
    ("uniform", lambda nin, nout: 1.0),
    ("xavier", lambda nin, nout: math.sqrt(6.0 / (nin + nout))),
    ("he", lambda nin, nout: math.sqrt(6.0 / nin)),
])
def test_init_draws_within_its_bound_and_fills_it(init, bound):
    model = MLP(50, [40, 30], seed=0, init=init)
    for layer, (nin, nout) in zip(model.layers, [(50, 40), (40, 30)]):
        w = np.array([wi.data for n in layer.neurons for wi in n.w])
        limit = bound(nin, nout)
        assert np.all(np.abs(w) <= limit)
        assert np.abs(w).max() > 0.9 * limit
        assert abs(w.mean()) < 0.1 * limit
    assert all(n.b.data == 0.0 for layer in model.layers for n in layer.neurons)


# -- labels (the contract in briefs/labels.md) ----------------------------------------------

def test_parameter_labels_follow_the_seed():
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    n = model.layers[0].neurons[1]  # neuron k = 2 of layer 1
    assert [w.label for w in n.w] == ["W[1]_12", "W[1]_22", "W[1]_32"]
    assert n.b.label == "b[1]_2"
    assert model.layers[1].neurons[0].w[3].label == "W[2]_41"
    assert model.layers[1].neurons[0].b.label == "b[2]_1"
    for p in model.parameters():
        assert PARAM_RE.match(p.label) and WEIGHT_RE.match(p.label) or p.label.startswith("b")


def test_wide_layers_use_a_comma_and_the_weight_regex_recovers_j_and_k():
    model = MLP(12, [11, 1], seed=0)
    assert model.layers[0].neurons[2].w[11].label == "W[1]_12,3"
    assert model.layers[0].neurons[10].w[0].label == "W[1]_1,11"
    assert model.layers[0].neurons[2].w[4].label == "W[1]_5,3"     # one style in the network
    assert model.layers[1].neurons[0].w[4].label == "W[2]_5,1"
    assert MLP(3, [4, 1], seed=0).layers[1].neurons[0].w[2].label == "W[2]_31"   # the text's
    assert Layer(12, 2, seed=0).neurons[1].w[3].label == "W[1]_4,2"
    for layer_index, layer in enumerate(model.layers, start=1):
        for k, n in enumerate(layer.neurons, start=1):
            for j, w in enumerate(n.w, start=1):
                m = WEIGHT_RE.match(w.label)
                l_, j_, k_ = m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)
                assert (int(l_), int(j_), int(k_)) == (layer_index, j, k)


def test_forward_labels_z_and_a_and_z_is_one_linear_node():
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    x = [0.5, -1.0, 2.0]
    out = model(x)
    assert out.label == "a[2]_1" and out._op == "sigmoid"
    (z,) = out._prev
    assert z.label == "z[2]_1" and z._op == "linear"
    hidden = [p for p in z._prev if p.label.startswith("a[")]
    assert [h.label for h in hidden] == ["a[1]_1", "a[1]_2", "a[1]_3", "a[1]_4"]
    # ∂z[2]_1/∂W[2]_j1 = a[1]_j: a single edge with the seed's factor
    first = model.layers[1].neurons[0]
    for j, w in enumerate(first.w):
        assert z._local[z._prev.index(w)] == hidden[j].data
    # inputs given as numbers are constants: z[1]_1's parents are its weights and bias only
    z11 = hidden[0]._prev[0]
    assert z11.label == "z[1]_1"
    assert set(map(id, z11._prev)) == set(map(id, model.layers[0].neurons[0].parameters()))
    assert list(z11._local[:3]) == x


def test_linear_output_is_the_z_node_and_a_lone_neuron_is_l1_k1():
    model = MLP(2, [3, 1], seed=0)
    assert model([1.0, 2.0]).label == "z[2]_1"
    n = Neuron(2, seed=0)
    assert [w.label for w in n.w] == ["W[1]_11", "W[1]_21"] and n.b.label == "b[1]_1"
    assert n([1.0, 1.0]).label == "a[1]_1"
    m = Neuron(2, layer_index=3, neuron_index=5)
    assert m.w[1].label == "W[3]_25" and m(np.ones(2)).label == "a[3]_5"


# -- inputs ---------------------------------------------------------------------------------

def test_inputs_may_be_floats_values_or_a_numpy_row():
    model = MLP(3, [4, 2], activation="tanh", seed=1)
    floats = [0.1, -0.2, 0.3]
    want = [o.data for o in model(floats)]
    assert [o.data for o in model(np.array(floats))] == want
    mixed = [np.float32(0.5), 1, np.int64(-2)]
    assert [o.data for o in model(mixed)] == [o.data for o in model([0.5, 1.0, -2.0])]
    xs = [Value(v, label=f"x_{j + 1}") for j, v in enumerate(floats)]
    out = model(xs)
    assert [o.data for o in out] == want
    out[0].backward()
    assert any(x.grad != 0.0 for x in xs)


def test_wrong_input_length_names_expected_and_given():
    with pytest.raises(ValueError, match=r"MLP\(3, \[4, 1\]\): expected 3 inputs, got 2"):
        MLP(3, [4, 1])([1, 2])
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        Layer(2, 3)([1, 2, 3])
    with pytest.raises(ValueError, match="expected 4 inputs, got 1"):
        Neuron(4)(1.0)
    with pytest.raises(ValueError, match=r"shape \(2, 3\)"):
        MLP(3, [1])(np.ones((2, 3)))
    with pytest.raises(TypeError, match="expected a list of 3"):
        MLP(3, [1])(None)
    with pytest.raises(TypeError):
        MLP(2, [1])(["a", "b"])


def test_one_neuron_layers_return_a_value_and_do_not_break_the_next_layer():
    layer = Layer(2, 1)
    assert isinstance(layer([1.0, 2.0]), Value)
    assert isinstance(Layer(2, 3)([1.0, 2.0]), list)
    model = MLP(2, [16, 1, 1], seed=0)
    out = model([1.0, -1.0])
    assert isinstance(out, Value)
    out.backward()
    # a micrograd-style chain of layers also works: a single Value goes into a 1-input layer
    assert isinstance(Layer(1, 2)(Layer(2, 1)([1.0, 2.0])), list)


def test_mlp_returns_a_list_for_several_outputs():
    out = MLP(2, [3, 4], seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 4
    assert [o.label for o in out] == ["z[2]_1", "z[2]_2", "z[2]_3", "z[2]_4"]
