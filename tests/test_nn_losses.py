"""Losses: values against the formulas, gradients against finite differences, stability, errors."""

import math

import numpy as np
import pytest

from autograd import Value, gradcheck
from nn import bce_loss, cross_entropy_loss, hinge_loss, mse_loss


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


# -- mse ------------------------------------------------------------------------------------

def test_mse_one_sample_and_the_seed_half_form():
    p = Value(0.8)
    loss = mse_loss(p, 0.5)
    assert loss.data == pytest.approx(0.09)
    loss.backward()
    assert p.grad == pytest.approx(2 * 0.3)
    q = Value(0.8)
    half = mse_loss(q, 0.5, half=True)
    half.backward()
    assert half.data == pytest.approx(0.045) and q.grad == pytest.approx(0.3)  # ŷ - y


def test_mse_batch_mean_and_sum():
    preds = [Value(1.0), Value(2.0), Value(4.0)]
    targets = np.array([0.0, 2.0, 1.0])
    assert mse_loss(preds, targets).data == pytest.approx((1 + 0 + 9) / 3)
    assert mse_loss(preds, targets, reduction="sum").data == pytest.approx(10.0)
    loss = mse_loss(preds, targets)
    loss.backward()
    assert [p.grad for p in preds] == pytest.approx([2 / 3, 0.0, 2.0])


def test_mse_batch_of_several_outputs_is_the_mean_over_everything():
    preds = [[Value(1.0), Value(0.0)], [Value(3.0), Value(1.0)]]
    targets = np.array([[0.0, 0.0], [1.0, 1.0]])
    assert mse_loss(preds, targets).data == pytest.approx((1 + 0 + 4 + 0) / 4)


def test_mse_checks_lengths_shapes_and_reduction():
    with pytest.raises(ValueError, match="3 predictions but 2 targets"):
        mse_loss([Value(1.0)] * 3, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"2 predictions\[1\] but 1 targets"):
        mse_loss([[Value(1.0), Value(1.0)], [Value(1.0), Value(1.0)]], [[1.0, 2.0], [3.0]])
    with pytest.raises(ValueError, match="one number but its target is a list of 2"):
        mse_loss(Value(1.0), [1.0, 2.0])
    with pytest.raises(ValueError, match="2 predictions but one target"):
        mse_loss([Value(1.0), Value(2.0)], 1.0)
    with pytest.raises(ValueError, match="unknown reduction 'avg'; choose one of mean, sum"):
        mse_loss(Value(1.0), 1.0, reduction="avg")
    with pytest.raises(ValueError, match="no predictions"):
        mse_loss([], [])


# -- bce ------------------------------------------------------------------------------------

def test_bce_on_probabilities_matches_the_formula_and_its_gradient():
    p, y = 0.7, 1.0
    assert bce_loss(Value(p), y).data == pytest.approx(-math.log(0.7))
    preds = [Value(0.7), Value(0.2)]
    loss = bce_loss(preds, [1, 0])
    assert loss.data == pytest.approx(-(math.log(0.7) + math.log(0.8)) / 2)
    report = gradcheck(lambda a, b: bce_loss([a, b], [1.0, 0.25]), [0.7, 0.2])
    assert report.ok, report


def test_bce_from_logits_equals_bce_of_the_sigmoid_and_passes_gradcheck():
    for x, y in ((0.3, 1.0), (-2.0, 0.0), (1.5, 0.3)):
        logit = bce_loss(Value(x), y, from_logits=True).data
        assert logit == pytest.approx(bce_loss(Value(sigmoid(x)), y).data, rel=1e-12)
    report = gradcheck(lambda a, b: bce_loss([a, b], [1.0, 0.0], from_logits=True), [0.4, -1.2])
    assert report.ok, report


def test_bce_from_logits_is_stable_at_extremes():
    for x, y, want_loss, want_grad in ((1000.0, 1.0, 0.0, 0.0), (1000.0, 0.0, 1000.0, 1.0),
                                       (-1000.0, 1.0, 1000.0, -1.0), (-1000.0, 0.0, 0.0, 0.0)):
        v = Value(x)
        loss = bce_loss(v, y, from_logits=True)
        loss.backward()
        assert loss.data == pytest.approx(want_loss) and v.grad == pytest.approx(want_grad)


def test_bce_clamps_probabilities_of_exactly_0_and_1():
    p = Value(0.0)
    loss = bce_loss(p, 1.0)
    loss.backward()
    assert math.isfinite(loss.data) and loss.data == pytest.approx(-math.log(1e-12))
    assert p.grad < 0.0 and math.isfinite(p.grad)  # still pushes p up
    q = Value(1.0)
    bce_loss(q, 0.0).backward()
    assert q.grad > 0.0 and math.isfinite(q.grad)
    assert bce_loss(Value(1.0), 1.0).data == pytest.approx(0.0, abs=1e-11)


def test_bce_refuses_non_probabilities_and_bad_targets():
    with pytest.raises(ValueError, match="prediction 1 is 1.5, not a probability"):
        bce_loss([Value(0.5), Value(1.5)], [1, 0])
    with pytest.raises(ValueError, match="target 0 is 2.0; targets must be in"):
        bce_loss(Value(0.5), 2)
    with pytest.raises(ValueError, match="target 0 is -1.0"):
        bce_loss(Value(3.0), -1, from_logits=True)


# -- hinge ----------------------------------------------------------------------------------

def test_hinge_is_the_mean_of_relu_one_minus_margin():
    scores = [Value(2.0), Value(0.5), Value(-0.5)]
    loss = hinge_loss(scores, np.array([1, 1, 1]))
    assert loss.data == pytest.approx((0.0 + 0.5 + 1.5) / 3)
    loss.backward()
    assert [s.grad for s in scores] == pytest.approx([0.0, -1 / 3, -1 / 3])
    assert hinge_loss(Value(0.5), -1).data == pytest.approx(1.5)
    assert hinge_loss(scores, [1, 1, 1], reduction="sum").data == pytest.approx(2.0)


def test_hinge_wants_plus_minus_one_labels():
    with pytest.raises(ValueError, match="target 1 is 0.0; labels must be -1 or \\+1"):
        hinge_loss([Value(1.0), Value(1.0)], [1, 0])


# -- cross entropy --------------------------------------------------------------------------

def test_cross_entropy_value_and_gradient_softmax_minus_one_hot():
    zs = [Value(1.0), Value(2.0), Value(0.5)]
    loss = cross_entropy_loss(zs, 1)
    e = [math.exp(z.data) for z in zs]
    assert loss.data == pytest.approx(-math.log(e[1] / sum(e)))
    loss.backward()
    assert [z.grad for z in zs] == pytest.approx([e[0] / sum(e), e[1] / sum(e) - 1,
                                                  e[2] / sum(e)])
    report = gradcheck(lambda a, b, c: cross_entropy_loss([a, b, c], 2), [0.3, -1.0, 2.0])
    assert report.ok, report


def test_cross_entropy_is_stable_at_plus_minus_1000():
    zs = [Value(1000.0), Value(-1000.0), Value(0.0)]
    assert cross_entropy_loss(zs, 0).data == pytest.approx(0.0, abs=1e-12)
    loss = cross_entropy_loss(zs, 1)
    loss.backward()
    assert loss.data == pytest.approx(2000.0)
    assert [z.grad for z in zs] == pytest.approx([1.0, -1.0, 0.0])
    assert cross_entropy_loss([Value(1000.0), Value(1000.0)], 0).data == pytest.approx(
        math.log(2))


def test_cross_entropy_batch_is_the_mean_and_checks_indices():
    batch = [[Value(0.0), Value(0.0)], [Value(5.0), Value(-5.0)]]
    one = cross_entropy_loss(batch[0], 0).data
    two = cross_entropy_loss(batch[1], 1).data
    assert cross_entropy_loss(batch, np.array([0, 1])).data == pytest.approx((one + two) / 2)
    with pytest.raises(ValueError, match="2 samples of logits but 3 targets"):
        cross_entropy_loss(batch, [0, 1, 1])
    with pytest.raises(ValueError, match="class index in 0..1, got 2"):
        cross_entropy_loss(batch[0], 2)
    with pytest.raises(ValueError, match="sample 1: target must be a class index"):
        cross_entropy_loss(batch, [0, 1.5])
    with pytest.raises(ValueError, match="non-empty list"):
        cross_entropy_loss([], 0)
