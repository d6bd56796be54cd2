"""VectorizedMLP: the seed's matrix equations agree with the scalar engine and with finite
differences computed in NumPy alone."""

import numpy as np
import pytest

from autograd.extend import OPS
from nn import MLP
from nn.vectorized import VectorizedMLP, compare_with_engine


def batch(nin, nout, m, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(nin, m)), rng.uniform(-1, 1, size=(nout, m))


NETWORKS = {
    "seed 3-4-1 sigmoid": lambda: MLP(3, [4, 1], activation="sigmoid",
                                      output_activation="sigmoid", seed=0),
    "tanh 2-5-3-1": lambda: MLP(2, [5, 3, 1], activation="tanh", output_activation="tanh",
                                seed=1),
    "relu micrograd 2-16-16-1": lambda: MLP(2, [16, 16, 1], seed=2),
    "relu 4-6-3, three linear outputs": lambda: MLP(4, [6, 3], activation="relu", seed=3),
    "sigmoid into one-neuron layer": lambda: MLP(3, [4, 1, 2], activation="sigmoid", seed=4),
}


@pytest.mark.parametrize("name", NETWORKS)
def test_engine_and_vectorized_agree_to_1e9(name):
    model = NETWORKS[name]()
    nin, nout = len(model.layers[0].neurons[0].w), len(model.layers[-1].neurons)
    X, Y = batch(nin, nout, 10, seed=len(name))
    report = compare_with_engine(model, X, Y)
    assert report.ok and bool(report), str(report)
    assert report.max_abs <= 1e-9
    assert len(report.rows) == len(model.layers)
    assert any(np.abs(dW).max() > 1e-3 for dW, _ in report.engine)    # not vacuous
    assert model.layers[0].neurons[0].w[0].grad == report.engine[0][0][0, 0]
    text = str(report)
    assert text.splitlines()[0].split()[0] == "layer" and "AGREE" in text


def test_comparison_catches_a_wrong_hand_derivative(monkeypatch):
    sigmoid = OPS["sigmoid"]  # its vectorized derivative comes from its row
    monkeypatch.setattr(sigmoid, "numpy", (sigmoid.numpy[0], lambda np, z, a: a * a))
    model = NETWORKS["seed 3-4-1 sigmoid"]()
    report = compare_with_engine(model, *batch(3, 1, 10))
    assert not report.ok and "DISAGREE" in str(report)
    assert report.rows[-1].dW_abs > 1e-4


def numeric_grads(vm, X, Y, eps=1e-6):
    """Central differences of the batch loss for every entry of every W[l] and b[l]."""
    out = []
    for params in (vm.W, vm.b):
        grads = []
        for P in params:
            G = np.zeros_like(P)
            for idx in np.ndindex(P.shape):
                keep = P[idx]
                P[idx] = keep + eps
                up = vm.loss_value(X, Y)
                P[idx] = keep - eps
                down = vm.loss_value(X, Y)
                P[idx] = keep
                G[idx] = (up - down) / (2 * eps)
            grads.append(G)
        out.append(grads)
    return list(zip(*out))


@pytest.mark.parametrize("activations", [["sigmoid", "sigmoid"], ["tanh", "linear"],
                                         ["relu", "tanh", "linear"], ["linear", "sigmoid"]])
def test_backward_matches_finite_differences_in_numpy(activations):
    rng = np.random.default_rng(7)
    sizes = [3, 5, 4, 2][: len(activations) + 1]
    weights = [rng.normal(size=(sizes[i + 1], sizes[i])) for i in range(len(activations))]
    biases = [rng.normal(size=(sizes[i + 1], 1)) for i in range(len(activations))]
    vm = VectorizedMLP(weights, biases, activations)
    X, Y = batch(sizes[0], sizes[-1], 8, seed=3)
    analytic = vm.backward(X, Y)
    for (dW, db), (nW, nb) in zip(analytic, numeric_grads(vm, X, Y)):
        np.testing.assert_allclose(dW, nW, rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(db, nb, rtol=1e-6, atol=1e-8)


def test_seed_formulas_for_one_sample():
    model = NETWORKS["seed 3-4-1 sigmoid"]()
    vm = VectorizedMLP.from_mlp(model)
    x, y = np.array([[0.5], [-1.0], [2.0]]), np.array([[1.0]])
    (dW1, _), (dW2, _) = vm.backward(x, y)
    z1 = vm.W[0] @ x + vm.b[0]
    a1 = 1 / (1 + np.exp(-z1))
    z2 = vm.W[1] @ a1 + vm.b[1]
    a2 = 1 / (1 + np.exp(-z2))
    g2 = (a2 * (1 - a2)).item()
    g1 = a1[0, 0] * (1 - a1[0, 0])
    err = a2.item() - 1.0
    assert dW2[0, 0] == pytest.approx(err * g2 * a1[0, 0], rel=1e-12)          # ∂L/∂W[2]_11
    assert dW1[0, 1] == pytest.approx(err * g2 * vm.W[1][0, 0] * g1 * x[1, 0], rel=1e-12)  # W[1]_21


def test_from_mlp_copies_weights_by_the_labelling_contract():
    model = MLP(3, [4, 2], activation="tanh", output_activation="sigmoid", seed=5)
    vm = VectorizedMLP.from_mlp(model)
    assert [W.shape for W in vm.W] == [(4, 3), (2, 4)]
    assert [b.shape for b in vm.b] == [(4, 1), (2, 1)]
    assert vm.activations == ["tanh", "sigmoid"] and vm.sizes == [3, 4, 2]
    w21 = model.layers[0].neurons[0].w[1]
    assert w21.label == "W[1]_21" and vm.W[0][0, 1] == w21.data
    w = model.layers[1].neurons[1].w[3]
    assert w.label == "W[2]_42" and vm.W[1][1, 3] == w.data
    vm.W[0][0, 1] += 1.0
    assert w21.data != vm.W[0][0, 1]                      # a copy, not a view


def test_forward_matches_the_model_sample_by_sample():
    model = NETWORKS["tanh 2-5-3-1"]()
    vm = VectorizedMLP.from_mlp(model)
    X, _ = batch(2, 1, 6)
    A = vm.forward(X)
    assert A.shape == (1, 6)
    expected = [model(X[:, i].tolist()).data for i in range(6)]
    np.testing.assert_allclose(A[0], expected, rtol=1e-13, atol=1e-15)


def test_step_is_gradient_descent_and_training_lowers_the_loss():
    model = NETWORKS["seed 3-4-1 sigmoid"]()
    X, Y = batch(3, 1, 20, seed=11)
    Y = (Y + 1) / 2
    vm = VectorizedMLP.from_mlp(model)
    before = [W.copy() for W in vm.W]
    grads = vm.backward(X, Y)
    vm.step(0.5)
    for W0, W1, (dW, _) in zip(before, vm.W, grads):
        np.testing.assert_allclose(W1, W0 - 0.5 * dW, rtol=0, atol=1e-15)
    with pytest.raises(RuntimeError, match="call backward"):
        vm.step(0.5)
    losses = [vm.train_step(X, Y, lr=2.0) for _ in range(200)]
    assert losses[-1] < 0.7 * losses[0]
    assert vm.loss_value(X, Y) < losses[-1]


def test_one_output_targets_may_be_flat():
    vm = VectorizedMLP.from_mlp(NETWORKS["seed 3-4-1 sigmoid"]())
    X, Y = batch(3, 1, 5)
    flat = vm.backward(X, Y[0])
    full = vm.backward(X, Y)
    for (a, b), (c, d) in zip(flat, full):
        assert np.array_equal(a, c) and np.array_equal(b, d)


def test_shape_errors_name_expected_and_given_shapes():
    vm = VectorizedMLP.from_mlp(NETWORKS["seed 3-4-1 sigmoid"]())
    with pytest.raises(ValueError, match=r"X must have shape \(3, m\).*got \(10, 3\)"):
        vm.forward(np.zeros((10, 3)))
    with pytest.raises(ValueError, match=r"X must have shape \(3, m\).*got \(3,\)"):
        vm.forward(np.zeros(3))
    with pytest.raises(ValueError, match=r"Y must have shape \(1, 4\).*got \(4, 1\)"):
        vm.backward(np.zeros((3, 4)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match=r"W\[2\] must have shape \(1, 4\).*got \(1, 5\)"):
        VectorizedMLP([np.zeros((4, 3)), np.zeros((1, 5))], [np.zeros((4, 1)), np.zeros((1, 1))],
                      "tanh")
    with pytest.raises(ValueError, match=r"b\[1\] must have shape \(4, 1\), got \(1, 4\)"):
        VectorizedMLP([np.zeros((4, 3))], [np.zeros((1, 4))], "tanh")
    with pytest.raises(ValueError, match=r"W\[1\] must be 2-D"):
        VectorizedMLP([np.zeros(3)], [np.zeros(1)], "tanh")
    with pytest.raises(ValueError, match="unknown activation 'softmax' for layer 1"):
        VectorizedMLP([np.zeros((1, 3))], [np.zeros((1, 1))], "softmax")
    with pytest.raises(ValueError, match="expected 2 activations"):
        VectorizedMLP([np.zeros((4, 3)), np.zeros((1, 4))], [np.zeros(4), np.zeros(1)],
                      ["tanh"])
    with pytest.raises(ValueError, match="one bias per weight matrix"):
        VectorizedMLP([np.zeros((4, 3))], [], "tanh")


def test_from_mlp_refuses_mixed_activations_in_a_layer():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    model.layers[0].neurons[1].activation = "relu"
    with pytest.raises(ValueError, match=r"layer 1 mixes activations \['relu', 'tanh'\]"):
        VectorizedMLP.from_mlp(model)


def test_sigmoid_of_large_inputs_stays_finite():
    vm = VectorizedMLP([np.array([[1.0]])], [np.zeros((1, 1))], "sigmoid")
    with np.errstate(over="raise"):
        A = vm.forward(np.array([[-800.0, 800.0]]))
    assert A.tolist() == [[0.0, 1.0]]
