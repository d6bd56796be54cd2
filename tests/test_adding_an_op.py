"""A new op is one definition: sin (and cos, its derivative), defined at run time, is then
everywhere an op is: a Value method, a formula function (CLI, check_derivative), forward mode,
SymPy, create_graph, replay, gradcheck, the property tests' inputs, the pictures and an nn
activation. Removed again afterwards, it is nowhere (the other tests never see it)."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from op_rows import calls, node_of

from autograd import (
    Dual,
    Value,
    check_derivative,
    derivative,
    evaluate,
    grad,
    gradcheck,
    gradgradcheck,
    hessian,
    jvp,
    to_sympy,
)
from autograd.extend import FUNCTIONS, OPS, FormulaError, define_op, parse_formula, remove_op
from nn import MLP, VectorizedMLP, compare_with_engine, mse_loss
from nn.layers import activations
from visualize import draw_dot
from visualize.cli import main as cli


def sin(x: float) -> tuple[float, tuple[float]]:
    """sin x;  ∂/∂x = cos x."""
    return math.sin(x), (math.cos(x),)


def cos(x: float) -> tuple[float, tuple[float]]:
    """cos x;  ∂/∂x = -sin x."""
    return math.cos(x), (-math.sin(x),)


@pytest.fixture
def sin_op():
    """sin and cos defined as docs/adding-an-op.md defines them; removed afterwards."""
    rows = [
        define_op("sin", sin, derivative=lambda out, x: (x.cos(),),
                  sympy=lambda sp, x: sp.sin(x), domain=(-3.0, 3.0),
                  method="sin", formula=True, activation=True,
                  numpy=(lambda np, z: np.sin(z), lambda np, z, a: np.cos(z))),
        define_op("cos", cos, derivative=lambda out, x: (-x.sin(),),
                  sympy=lambda sp, x: sp.cos(x), domain=(-3.0, 3.0),
                  method="cos", formula=True),
    ]
    try:
        yield rows[0]
    finally:
        for row in rows:
            remove_op(row.name)


def test_a_value_method_with_its_gradient(sin_op):
    x = Value(0.7, label="x")
    y = x.sin()
    y.backward()
    assert (y.data, x.grad) == (math.sin(0.7), math.cos(0.7))
    assert y._op == "sin" and y._op.rule is sin_op and Value.sin.__doc__ == sin.__doc__
    assert gradcheck(lambda v: (v * 2).sin() * v.cos(), [0.4]).ok


def test_a_formula_function_for_the_cli_and_check_derivative(sin_op, capsys):
    assert parse_formula("sin(x) * cos(w)")[1] == ["w", "x"] and "sin" in FUNCTIONS
    assert cli(["sin(x*w)", "--set", "x=0.5", "w=2", "--no-render"]) == 0
    out = capsys.readouterr().out
    assert f"sin(x*w) = {math.sin(1.0):.4g}" in out  # x = 0.5: ∂/∂x = w cos(xw)
    assert f"{2 * math.cos(1.0):.4g}" in out
    x, w = Value(0.5, label="x"), Value(2.0, label="w")
    y = (x * w).sin()
    assert check_derivative("x*cos(x*w)", y, w)
    assert not check_derivative("cos(x*w)", y, w)


def test_forward_mode_sympy_and_replay(sin_op):
    assert tuple(jvp(lambda x: x.sin(), [0.3], [2.0])) == (math.sin(0.3), 2.0 * math.cos(0.3))
    assert Dual(0.3).sin().data == math.sin(0.3)
    x = Value(0.3, label="x")
    y = x.sin() * x
    X = sp.Symbol("x", real=True)
    assert to_sympy(y) == X * sp.sin(X)
    assert sp.simplify(derivative(y, x) - (sp.sin(X) + X * sp.cos(X))) == 0
    assert evaluate(y, {x: 1.1}) == pytest.approx(math.sin(1.1) * 1.1, rel=1e-15)


def test_derivatives_of_any_order(sin_op):
    x = Value(0.3)
    [g] = grad(x.sin(), [x], create_graph=True)
    [gg] = grad(g, [x], create_graph=True)
    assert (g.data, gg.data) == (math.cos(0.3), -math.sin(0.3))
    assert hessian(lambda v: v.sin(), [0.3]) == [[pytest.approx(-math.sin(0.3), rel=1e-12)]]


def test_the_property_tests_draw_its_inputs_from_its_row(sin_op):
    @settings(max_examples=20, deadline=None)
    @given(calls(sin_op))
    def run(call):
        xs, params = call
        assert -3.0 <= xs[0] <= 3.0
        assert gradcheck(node_of(sin_op, params), xs).ok
        assert gradgradcheck(node_of(sin_op, params), xs).ok

    run()


@pytest.mark.svg
def test_the_pictures_draw_it(sin_op):
    x = Value(-0.5, label="x")
    y = x.sin()
    y.backward()
    source = draw_dot(y).source
    assert "sin" in source and "grad 1" in source


def test_an_nn_activation_in_both_engines(sin_op):
    assert "sin" in activations()
    model = MLP(2, [3, 1], activation="sin", seed=0)
    X = np.array([[0.5, -1.0, 0.25], [1.5, 0.0, -0.75]])
    Y = np.array([[0.2, -0.1, 0.4]])
    out = model([0.5, 1.5])
    assert {p._op for p in out._prev if p._prev} == {"sin"}  # the hidden neurons' outputs
    loss = mse_loss([model(row) for row in X.T], Y[0].tolist(), half=True)
    loss.backward()
    assert compare_with_engine(model, X, Y).ok
    vm = VectorizedMLP.from_mlp(model)
    assert vm.activations == ["sin", "linear"]


def test_removed_it_is_nowhere():
    row = define_op("sin", sin, derivative=lambda out, x: (x.cos(),), method="sin",
                    formula=True, activation=True,
                    numpy=(lambda np, z: np.sin(z), lambda np, z, a: np.cos(z)))
    assert hasattr(Value, "sin") and hasattr(Dual, "sin")
    assert remove_op("sin") is row
    assert "sin" not in OPS and not hasattr(Value, "sin") and not hasattr(Dual, "sin")
    assert "sin" not in FUNCTIONS and "sin" not in activations()
    with pytest.raises(FormulaError, match="calls of anything but"):
        parse_formula("sin(x)")


def test_a_definition_that_cannot_work_is_refused_by_name():
    with pytest.raises(ValueError, match="'twice'.*already has an attribute 'backward'"):
        define_op("twice", lambda x: (2 * x, (2.0,)), lambda out, x: (2.0,), method="backward")
    assert "twice" not in OPS
    with pytest.raises(ValueError, match="'g'.*needs numpy"):
        define_op("g", sin, lambda out, x: (x.cos(),), method="g", activation=True)
    with pytest.raises(ValueError, match="already has an op named 'tanh'"):
        define_op("tanh", sin, lambda out, x: (x.cos(),))
