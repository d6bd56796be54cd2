"""grad with and without create_graph, hessian, hvp and gradgradcheck: semantics and errors."""

import math
import re
import warnings

import pytest

from autograd import (
    Value,
    custom_op,
    explain,
    gradcheck,
    gradgradcheck,
    hessian,
    hvp,
    no_grad,
    topological_order,
)
from autograd import grad as grad_of
from autograd.checks.gradcheck import KinkWarning
from nn import MLP, bce_loss, cross_entropy_loss, mse_loss
from visualize import draw_dot


def f2(a, b):
    return (a * b).tanh() + a ** 3 * b.exp() / b


def test_grad_matches_backward_and_touches_no_grad():
    a, b = Value(0.5), Value(1.2)
    y = f2(a, b)
    ga, gb = grad_of(y, [a, b])
    assert a.grad == b.grad == y.grad == 0.0
    y.backward()
    assert (ga.data, gb.data) == (a.grad, b.grad)


def test_unused_input_gets_zero_and_single_value_arguments_work():
    a, b, c = Value(2.0), Value(3.0), Value(4.0)
    y = a * b
    assert [g.data for g in grad_of(y, [a, c, b])] == [3.0, 0.0, 2.0]
    assert [g.data for g in grad_of(y, c, create_graph=True)] == [0.0]
    assert grad_of(a, a)[0].data == 1.0  # an output is its own input


def test_gradient_with_respect_to_an_intermediate_node():
    x = Value(0.3)
    h = x * 2.0
    y = h.tanh() + x
    [dh, dx] = grad_of(y, [h, x])
    assert dh.data == pytest.approx(1 - math.tanh(0.6) ** 2, rel=1e-12)
    assert dx.data == pytest.approx(2 * dh.data + 1, rel=1e-12)


def test_several_outputs_and_grad_outputs_weight_them():
    a, b = Value(1.5), Value(-0.5)
    y1, y2 = a * b, a.exp() + b
    [ga, gb] = grad_of([y1, y2], [a, b], grad_outputs=[2.0, -3.0])
    assert ga.data == pytest.approx(2 * b.data - 3 * math.exp(1.5), rel=1e-12)
    assert gb.data == pytest.approx(2 * a.data - 3, rel=1e-12)
    [g] = grad_of(y1, [a], grad_outputs=4.0)
    assert g.data == 4 * b.data


def test_create_graph_gives_values_that_differentiate_again():
    x = Value(0.7, label="x")
    y = x ** 4 + x.exp()
    [d1] = grad_of(y, [x], create_graph=True)
    [d2] = grad_of(d1, [x], create_graph=True)
    [d3] = grad_of(d2, [x])
    assert d1.data == pytest.approx(4 * 0.7 ** 3 + math.exp(0.7), rel=1e-12)
    assert d2.data == pytest.approx(12 * 0.7 ** 2 + math.exp(0.7), rel=1e-12)
    assert d3.data == pytest.approx(24 * 0.7 + math.exp(0.7), rel=1e-12)
    assert d1._prev, "a create_graph gradient is a node of a graph"


def test_mixed_partials_through_a_value_grad_output():
    """grad_outputs that are Values stay in the graph: d/dv of (∇f · v) is ∇f."""
    a, b, v = Value(0.4), Value(-1.1), Value(2.0)
    y = (a * b).sigmoid()
    [g] = grad_of(y, [a], grad_outputs=v, create_graph=True)
    [dv] = grad_of(g, [v])
    assert dv.data == pytest.approx(grad_of(y, [a])[0].data, rel=1e-12)


def test_explain_and_draw_a_second_derivative_graph():
    """(The lesson's test renders such a graph to SVG.)"""
    x = Value(0.5, label="x")
    [d1] = grad_of(x.sigmoid(), [x], create_graph=True)
    [d2] = grad_of(d1, [x], create_graph=True)
    nodes = topological_order(d2)
    assert 5 < len(nodes) < 40
    dot = draw_dot(d2)
    assert len(re.findall(r"^\s*n\d+ \[label=", dot.source, re.M)) == len(nodes)  # a box each
    assert "label=sigmoid" in dot.source and 'label="x\\ndata 0.5"' in dot.source
    assert "values only" in dot.legend.source and "grad 0" not in dot.source   # not run
    s = 1 / (1 + math.exp(-0.5))
    assert explain(d2, x).total == pytest.approx(s * (1 - s) * (1 - 6 * s + 6 * s * s), rel=1e-12)


def test_micrograd_style_node_is_refused_by_create_graph_but_works_at_first_order():
    x = Value(0.3, label="x")
    t = math.tanh(x.data)
    out = Value(t, (x,), "mytanh", label="mine")

    def backward():
        x.grad += (1 - t * t) * out.grad

    out._backward = backward
    y = out * 2.0
    assert grad_of(y, [x])[0].data == pytest.approx(2 * (1 - t * t), rel=1e-12)
    assert x.grad == 0.0 and out.grad == 0.0
    with pytest.raises(TypeError, match="mytanh.*micrograd's way"):
        grad_of(y, [x], create_graph=True)


def test_custom_op_with_a_derivative_written_with_value_ops():
    softplus = custom_op(lambda x: math.log1p(math.exp(x)), lambda x: 1 / (1 + (-x).exp()),
                         "softplus")
    x = Value(0.8, label="x")
    y = softplus(x * 2.0)
    assert y._local[0] == pytest.approx(1 / (1 + math.exp(-1.6)), rel=1e-12)  # floats too
    y.backward()
    assert gradcheck(lambda v: softplus(v * 2.0), [0.8]).ok
    assert gradgradcheck(lambda v: softplus(v * 2.0), [0.8]).ok
    [[h]] = hessian(lambda v: softplus(v * 2.0), [0.8])
    s = 1 / (1 + math.exp(-1.6))
    assert h == pytest.approx(4 * s * (1 - s), rel=1e-10)


def test_custom_op_with_constants_and_two_arguments_differentiates_twice():
    times = custom_op(lambda x, y: x * y * y, lambda x, y: (y * y, 2 * x * y), "xyy")
    assert gradgradcheck(lambda a, b: times(a, b) + times(a, 3.0), [0.5, -1.5]).ok


def test_custom_op_whose_derivative_needs_floats_is_refused_by_create_graph():
    soft = custom_op(lambda x: math.log1p(math.exp(x)), lambda x: 1 / (1 + math.exp(-x)), "sp")
    x = Value(0.2)
    assert grad_of(soft(x), [x])[0].data == pytest.approx(1 / (1 + math.exp(-0.2)))
    with pytest.raises(TypeError, match="'sp'.*numbers only"):
        grad_of(soft(x), [x], create_graph=True)


def test_custom_op_derivative_failing_on_numbers_and_values_names_both():
    bad = custom_op(lambda x: x, lambda x: x.nothing(), "bad")
    with pytest.raises(TypeError, match="'bad'.*numbers.*Values"):
        bad(Value(1.0))


def test_loss_rows_differentiate_twice():
    for f, xs in ((lambda p, q: bce_loss([p, q], [1.0, 0.0]), [0.3, 0.6]),
                  (lambda p, q: bce_loss([p, q], [1.0, 0.25], from_logits=True), [0.3, -2.0]),
                  (lambda a, b: cross_entropy_loss([a, 0.5, b], 2), [0.3, -1.0]),
                  (lambda a, b, c: cross_entropy_loss([[a, b], [c, a]], [0, 1]), [1.0, 2.0, 0.0])):
        report = gradgradcheck(f, xs)
        assert report.ok, str(report)


def test_hessian_is_symmetric_and_hvp_is_its_product():
    x = [0.5, 1.2, -0.3]

    def f(a, b, c):
        return (a * b * c).tanh() + (a - c).exp() * b ** 2

    h = hessian(f, x)
    for i in range(3):
        for j in range(3):
            assert h[i][j] == pytest.approx(h[j][i], rel=1e-12, abs=1e-15)
    v = [0.2, -1.0, 0.5]
    assert hvp(f, x, v) == pytest.approx([sum(hij * vj for hij, vj in zip(row, v)) for row in h],
                                         rel=1e-12)


def test_gradgradcheck_catches_a_wrong_second_derivative():
    """A derivative that computes the right number but not from x: its graph is cut off."""
    wrong = custom_op(lambda x: x ** 3, lambda x: Value(3 * x.data ** 2), "cube")
    assert gradcheck(lambda v: wrong(v), [1.3]).ok
    report = gradgradcheck(lambda v: wrong(v), [Value(1.3, label="x")])
    assert not report.ok
    assert report.failures[0].name == "∂²/∂x∂x"
    assert "gradgradcheck FAILED" in str(report)


def test_gradgradcheck_flags_a_kink_of_the_gradient_and_not_curvature():
    with pytest.warns(KinkWarning):
        report = gradgradcheck(lambda v: v.relu() * v, [0.0])
    assert report.rows[0].kink
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert gradgradcheck(lambda v: (v * 3.0).exp(), [1.5]).ok


def test_bad_input_is_refused_by_name():
    x = Value(1.0)
    with pytest.raises(TypeError, match="inputs\\[1\\]"):
        grad_of(x * x, [x, 2.0])
    with pytest.raises(TypeError, match="outputs"):
        grad_of(3.0, [x])
    with pytest.raises(ValueError, match="no inputs"):
        grad_of(x * x, [])
    with pytest.raises(ValueError, match="2 grad_outputs for 1 outputs"):
        grad_of(x * x, [x], grad_outputs=[1.0, 2.0])
    with pytest.raises(TypeError, match="grad_outputs"):
        grad_of(x * x, [x], grad_outputs="a")
    with no_grad(), pytest.raises(ValueError, match="no_grad"):
        grad_of(x, [x], create_graph=True)
    with pytest.raises(TypeError, match="hessian: f must return a Value"):
        hessian(lambda a: 3.0, [1.0])
    with pytest.raises(ValueError, match="v has 1 entries for 2 inputs"):
        hvp(lambda a, b: a * b, [1.0, 2.0], [1.0])


def test_seed_network_hessian_is_symmetric_and_equals_differences_of_gradients():
    """The MLP's own graph (linear nodes, sigmoid, ½(ŷ - y)²): a few parameters' Hessian."""
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    x, y = [0.5, -1.0, 2.0], 0.9
    params = model.parameters()
    chosen = [params[i] for i in (0, 6, 15, 16, 20)]  # W[1]_11, W[1]_32, b[1]_4, W[2]_11, b[2]_1

    def gradient():
        return [g.data for g in grad_of(mse_loss(model(x), y, half=True), chosen)]

    loss = mse_loss(model(x), y, half=True)
    first = grad_of(loss, chosen, create_graph=True)
    h = [[d.data for d in grad_of(g, chosen)] for g in first]
    eps = 1e-5
    for j, p in enumerate(chosen):
        saved = p.data
        p.data = saved + eps
        up = gradient()
        p.data = saved - eps
        down = gradient()
        p.data = saved
        for i in range(len(chosen)):
            assert h[i][j] == pytest.approx(h[j][i], rel=1e-10, abs=1e-14)
            assert h[i][j] == pytest.approx((up[i] - down[i]) / (2 * eps), rel=1e-5, abs=1e-9)
    assert any(abs(h[i][j]) > 1e-3 for i in range(5) for j in range(5) if i != j)
