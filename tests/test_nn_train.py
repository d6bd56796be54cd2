"""Training: micrograd's moons demo, fit with mini-batches, the seed's 3-4-1 network, History."""

import functools
import random

import numpy as np
import pytest

from autograd import Value
from nn import (
    MLP,
    SGD,
    accuracy,
    bce_loss,
    cross_entropy_loss,
    fit,
    make_moons,
    make_seed_regression,
    make_spiral,
    mse_loss,
)


def test_micrograd_moons_demo_reaches_100_percent():
    # micrograd's demo.ipynb, written the same way, with this package's imports.
    np.random.seed(1337)
    random.seed(1337)
    X, y = make_moons(n_samples=100, noise=0.1)
    y = y * 2 - 1
    model = MLP(2, [16, 16, 1])

    def loss():
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    first, _ = loss()
    for k in range(100):
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
    total_loss, acc = loss()
    assert acc == 1.0
    assert total_loss.data < 0.1 * first.data


def test_fit_tanh_mlp_on_moons_with_minibatches_reaches_97_percent():
    X, y = make_moons(n_samples=200, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], activation="tanh", output_activation="sigmoid", seed=0)
    opt = SGD(model.parameters(), lr=0.05, momentum=0.9)
    history = fit(model, X, y, loss=bce_loss, optimizer=opt, epochs=10, batch_size=10,
                  metrics=("accuracy",), progress=False)
    assert opt.steps == 10 * 20
    assert len(history.loss) == len(history.accuracy) == 10
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert accuracy(model, X, y) >= 0.97
    assert history.accuracy[-1] >= 0.97


def test_fit_seed_341_sigmoid_network_cuts_its_loss_tenfold():
    X, y = make_seed_regression(1000, seed=0)
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    half_mse = functools.partial(mse_loss, half=True)

    def full_loss():
        return half_mse([model(row) for row in X], y).data

    before = full_loss()
    opt = SGD(model.parameters(), lr=1.0)
    history = fit(model, X, y, loss=half_mse, optimizer=opt, epochs=10, batch_size=10,
                  progress=False)
    assert opt.steps == 10 * 100  # 100 updates per epoch, as the seed says
    assert history.accuracy == []  # no metric asked for
    assert before / full_loss() >= 10.0
    assert history.loss[-1] < history.loss[0]


def test_fit_default_optimizer_full_batch_and_history_access():
    X, y = make_moons(n_samples=40, noise=0.1, seed=1)
    model = MLP(2, [8, 1], activation="tanh", output_activation="tanh", seed=1)
    history = fit(model, X, 2 * y - 1, epochs=5, batch_size=None, metrics=("accuracy",),
                  progress=False)
    assert history["loss"] is history.loss and len(history["accuracy"]) == 5
    assert history.loss[-1] < history.loss[0]
    with pytest.raises(KeyError, match="'recall'"):
        history["recall"]


def test_fit_cross_entropy_with_several_outputs_uses_argmax_accuracy():
    X, y = make_spiral(n_samples=60, n_classes=3, seed=0)
    model = MLP(2, [8, 3], activation="tanh", seed=0)
    history = fit(model, X, y, loss=cross_entropy_loss, epochs=8, batch_size=6,
                  metrics=("accuracy",), optimizer=SGD(model.parameters(), lr=0.1, momentum=0.9),
                  progress=False)
    assert history.loss[-1] < history.loss[0]
    scores = [[o.data for o in model(row)] for row in X]
    want = np.mean(np.argmax(scores, axis=1) == y)
    assert accuracy(model, X, y) == pytest.approx(want)
    onehot = np.eye(3)[y]
    assert accuracy(model, X, onehot) == pytest.approx(want)


def test_accuracy_threshold_rules():
    class Constant:
        def __init__(self, value):
            self.value = value

        def __call__(self, row):
            return Value(self.value)

    X = np.zeros((4, 2))
    assert accuracy(Constant(0.3), X, [0, 0, 1, 1]) == 0.5  # 0/1 labels: 0.3 < 0.5 is class 0
    assert accuracy(Constant(0.3), X, [0, 0, 0, 1]) == 0.75
    assert accuracy(Constant(0.3), X, [-1, -1, -1, 1]) == 0.25  # ±1 labels: 0.3 > 0 is +1
    assert accuracy(Constant(0.3), X, [0, 0, 0, 1], threshold=0.0) == 0.25  # logits


def test_progress_bar_shows_the_running_loss_and_is_silent_when_asked(capsys):
    X, y = make_moons(n_samples=20, seed=0)
    fit(MLP(2, [4, 1], seed=0), X, y, epochs=2, batch_size=10, progress=True)
    err = capsys.readouterr().err
    assert "loss=" in err and "4/4" in err
    fit(MLP(2, [4, 1], seed=0), X, y, epochs=2, batch_size=10, progress=False)
    assert capsys.readouterr().err == ""


def test_fit_refuses_bad_arguments_before_training():
    X, y = make_moons(n_samples=20, seed=0)
    model = MLP(2, [4, 1], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match="unknown metrics .*'f1'"):
        fit(model, X, y, metrics=("f1",), progress=False)
    with pytest.raises(ValueError, match="accuracy needs class labels"):
        fit(model, X, y + 0.25, metrics=("accuracy",), progress=False)
    with pytest.raises(ValueError, match="epochs must be a positive int, got 0"):
        fit(model, X, y, epochs=0, progress=False)
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        fit(model, X, y, batch_size=0, progress=False)
    with pytest.raises(ValueError, match=r"got X \(20, 2\) and y \(19,\)"):
        fit(model, X, y[:-1], progress=False)
    with pytest.raises(ValueError, match=r"one output, so accuracy needs labels 0/1 or -1/\+1"):
        fit(model, X, y * 2, metrics=("accuracy",), progress=False)
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        fit(model, np.zeros((4, 3)), np.zeros(4), metrics=("accuracy",), progress=False)
    wide = MLP(2, [4, 3], seed=0)
    with pytest.raises(ValueError, match=r"3 outputs, so class labels must be in 0..2; got 0..3"):
        fit(wide, X, np.arange(20) % 4, metrics=("accuracy",), progress=False)
    with pytest.raises(ValueError, match="3 outputs but the one-hot targets have 2 columns"):
        accuracy(wide, X, np.eye(2)[y])
    assert model.state_dict() == before  # every refusal came before any update
