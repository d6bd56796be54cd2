"""SGD updates and argument checks; data sets and mini-batches."""

import math

import numpy as np
import pytest

from autograd import Value
from nn import (
    SGD,
    make_circles,
    make_moons,
    make_seed_regression,
    make_spiral,
    make_xor,
    minibatches,
)

# -- SGD ------------------------------------------------------------------------------------


def params_with_grads(values, grads):
    ps = [Value(v) for v in values]
    for p, g in zip(ps, grads):
        p.grad = g
    return ps


def test_sgd_step_is_p_minus_lr_grad_on_plain_floats():
    ps = params_with_grads([1.0, -2.0], [0.5, -1.0])
    opt = SGD(ps, lr=0.1)
    opt.step()
    assert [p.data for p in ps] == pytest.approx([0.95, -1.9])
    assert all(p._prev == () for p in ps)  # no graph
    opt.zero_grad()
    assert [p.grad for p in ps] == [0.0, 0.0]
    assert opt.steps == 1


def test_sgd_momentum_and_weight_decay():
    (p,) = params_with_grads([1.0], [1.0])
    opt = SGD([p], lr=0.1, momentum=0.9, weight_decay=0.5)
    opt.step()  # g = 1 + 0.5*1 = 1.5; v = 1.5; p = 1 - 0.15
    assert p.data == pytest.approx(0.85)
    opt.step()  # g = 1 + 0.5*0.85 = 1.425; v = 0.9*1.5 + 1.425 = 2.775
    assert p.data == pytest.approx(0.85 - 0.2775)


def test_sgd_learning_rate_schedule_is_a_callable_of_the_step():
    (p,) = params_with_grads([0.0], [1.0])
    seen = []

    def schedule(k):
        seen.append(k)
        return 1.0 - 0.9 * k / 100

    opt = SGD([p], lr=schedule)
    for _ in range(3):
        opt.step()
    assert seen == [0, 1, 2]
    assert p.data == pytest.approx(-(1.0 + 0.991 + 0.982))
    assert opt.current_lr() == pytest.approx(0.973)
    bad = SGD([p], lr=lambda k: -1.0)
    with pytest.raises(ValueError, match="lr schedule at step 0 must be a finite number >= 0"):
        bad.step()


@pytest.mark.parametrize("kwargs, error, message", [
    ({"lr": 0.0}, ValueError, "lr must be a finite number > 0, got 0.0"),
    ({"lr": -0.1}, ValueError, "lr must be"),
    ({"lr": math.inf}, ValueError, "lr must be"),
    ({"lr": "0.1"}, ValueError, "lr must be"),
    ({"momentum": 1.0}, ValueError, r"momentum must be in \[0, 1\), got 1.0"),
    ({"momentum": -0.5}, ValueError, "momentum"),
    ({"weight_decay": -1e-4}, ValueError, "weight_decay must be >= 0"),
])
def test_sgd_refuses_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        SGD([Value(1.0)], **{"lr": 0.1, **kwargs})


def test_sgd_refuses_bad_parameter_lists():
    with pytest.raises(ValueError, match="params is empty"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="parameter 1 is float, not a Value"):
        SGD([Value(1.0), 2.0], lr=0.1)
    with pytest.raises(TypeError, match="iterable of Values"):
        SGD(3, lr=0.1)


# -- data sets ------------------------------------------------------------------------------

MAKERS = [make_moons, make_circles, make_xor, make_spiral]


@pytest.mark.parametrize("make", MAKERS)
def test_data_sets_are_numpy_seeded_and_shaped(make):
    X, y = make(n_samples=101, noise=0.1, seed=3)
    assert isinstance(X, np.ndarray) and X.shape == (101, 2) and X.dtype == np.float64
    assert isinstance(y, np.ndarray) and y.shape == (101,) and y.dtype == np.int64
    X2, y2 = make(n_samples=101, noise=0.1, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    X3, _ = make(n_samples=101, noise=0.1, seed=4)
    assert not np.array_equal(X, X3)
    assert set(np.unique(y)) == {0, 1}
    with pytest.raises(ValueError, match="noise must be a number >= 0"):
        make(n_samples=10, noise=-1.0)
    with pytest.raises(ValueError, match="n_samples must be an int"):
        make(n_samples=0)
    with pytest.raises(TypeError, match="seed must be"):
        make(n_samples=10, seed="x")


def test_moons_without_noise_lie_on_two_half_circles():
    X, y = make_moons(n_samples=100)
    top, bottom = X[y == 0], X[y == 1]
    assert len(top) == len(bottom) == 50
    assert np.allclose(np.hypot(top[:, 0], top[:, 1]), 1.0) and np.all(top[:, 1] >= -1e-12)
    assert np.allclose(np.hypot(bottom[:, 0] - 1.0, bottom[:, 1] - 0.5), 1.0)
    assert np.all(bottom[:, 1] <= 0.5 + 1e-12)


def test_circles_radii_and_xor_labels():
    X, y = make_circles(n_samples=60, factor=0.3)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(r[y == 0], 1.0) and np.allclose(r[y == 1], 0.3)
    with pytest.raises(ValueError, match=r"factor must be in \(0, 1\)"):
        make_circles(factor=1.0)
    X, y = make_xor(n_samples=200)
    assert np.array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    assert np.all(np.abs(X) <= 1.0)


def test_spiral_has_one_arm_per_class():
    X, y = make_spiral(n_samples=90, n_classes=3)
    assert np.bincount(y).tolist() == [30, 30, 30]
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1.0 + 1e-12)
    with pytest.raises(ValueError, match="n_classes must be an int >= 2"):
        make_spiral(n_classes=1)


def test_seed_regression_has_three_inputs_and_a_target_in_0_1():
    X, y = make_seed_regression()
    assert X.shape == (1000, 3) and y.shape == (1000,)
    assert np.all((y > 0.0) & (y < 1.0))
    x1, x2, x3 = X.T
    clean = 1.0 / (1.0 + np.exp(-(2 * x1 - 1.5 * x2 + x3 + 1.5 * x1 * x3)))
    assert np.std(y - clean) < 0.02 and np.var(y) > 0.05  # a real signal, a little noise
    assert np.array_equal(make_seed_regression(50, seed=1)[1], make_seed_regression(50, seed=1)[1])


# -- mini-batches ---------------------------------------------------------------------------

def test_an_epoch_of_1000_samples_in_batches_of_10_is_100_updates():
    X, y = make_seed_regression(1000)
    batches = list(minibatches(X, y, 10, seed=0))
    assert len(batches) == 100 and all(len(xb) == len(yb) == 10 for xb, yb in batches)
    seen = np.concatenate([xb for xb, _ in batches])
    assert not np.array_equal(seen, X)  # shuffled
    assert np.array_equal(np.sort(seen, axis=0), np.sort(X, axis=0))  # each sample once
    for xb, yb in batches[:5]:  # rows stay paired with their targets
        for row, target in zip(xb, yb):
            assert target == y[np.flatnonzero((X == row).all(axis=1))[0]]


def test_short_last_batch_kept_or_dropped_and_order_without_shuffle():
    X, y = np.arange(105).reshape(105, 1), np.arange(105)
    sizes = [len(yb) for _, yb in minibatches(X, y, 10, shuffle=False)]
    assert sizes == [10] * 10 + [5]
    assert [len(yb) for _, yb in minibatches(X, y, 10, drop_last=True, seed=1)] == [10] * 10
    first = next(iter(minibatches(X, y, 10, shuffle=False)))
    assert first[1].tolist() == list(range(10))
    a = [yb.tolist() for _, yb in minibatches(X, y, 10, seed=5)]
    assert a == [yb.tolist() for _, yb in minibatches(X, y, 10, seed=5)]


def test_minibatches_checks_its_arguments():
    with pytest.raises(ValueError, match=r"X has shape \(3, 2\) but y has shape \(2,\)"):
        minibatches(np.zeros((3, 2)), np.zeros(2), 1)
    with pytest.raises(ValueError, match="batch_size must be an int >= 1, got 0"):
        minibatches(np.zeros((3, 2)), np.zeros(3), 0)
