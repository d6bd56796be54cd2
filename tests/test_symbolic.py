"""to_sympy and derivative: every op of the table, labels as symbols, undefined functions.

Every row of the table (the losses in ``nn`` included) is called as the row says it is called
(``op_rows.calls``), with inputs drawn from the row's domain.
"""

import math

import pytest
from op_rows import node_of, row_names
from test_higher_order_ops import for_each_call

from autograd import Value, custom_op, derivative, linear, to_sympy
from autograd.checks.symbolic import sympy_module, to_latex
from autograd.core import OPS, ops
from autograd.labels import formula_name

sp = pytest.importorskip("sympy")

_DERIVATIVES: dict = {}


def symbolic_derivatives(name, arity, params):
    """∂node/∂(each argument) of one row, by SymPy on labelled leaves (built once)."""
    key = (name, repr(params))
    if key not in _DERIVATIVES:
        leaves = [Value(0.5, label=f"u{i}") for i in range(arity)]
        expr = to_sympy(node_of(OPS[name], params)(*leaves))
        symbols = [sp.Symbol(f"u{i}", real=True) for i in range(arity)]
        _DERIVATIVES[key] = symbols, [sp.diff(expr, s) for s in symbols]
    return _DERIVATIVES[key]


@pytest.mark.parametrize("name", row_names())
def test_symbolic_derivative_of_every_op_equals_the_engine_gradient(name):
    def check(xs, params):
        symbols, derivatives = symbolic_derivatives(name, len(xs), params)
        leaves = [Value(x) for x in xs]
        node_of(OPS[name], params)(*leaves).backward()
        at = dict(zip(symbols, xs))
        for leaf, d in zip(leaves, derivatives):
            assert float(d.subs(at)) == pytest.approx(leaf.grad, rel=1e-9, abs=1e-12), params

    for_each_call(name, 20, check)


def test_labels_are_symbols_and_unlabelled_leaves_numbers():
    x, w = Value(2.0, label="x"), Value(-3.0, label="W[2]_11")
    y = (x * w + 0.5).tanh()
    X, W = sp.Symbol("x", real=True), sp.Symbol("W[2]_11", real=True)
    assert to_sympy(y) == sp.tanh(X * W + sp.Rational(1, 2))
    d = derivative(y, w)
    assert d == X * (1 - sp.tanh(X * W + sp.Rational(1, 2)) ** 2)
    assert to_latex(d).startswith(r"x \left(1 - \tanh^{2}") and r"W^{[2]}_{11}" in to_latex(d)
    assert derivative(y, w, latex=True) == to_latex(d)


def test_sigmoid_prints_as_sigma_and_differentiates_to_sigma_one_minus_sigma():
    z = Value(0.3, label="z")
    d = derivative(z.sigmoid(), z)
    Z = sp.Symbol("z", real=True)
    s = sympy_module().sigmoid(Z)
    assert sp.expand(d - s * (1 - s)) == 0
    assert str(s) == "σ(z)" and r"\sigma" in to_latex(d)
    assert float(s.subs(Z, 0.3)) == pytest.approx(z.sigmoid().data, rel=1e-14)
    assert sp.lambdify(Z, s)(0.3) == pytest.approx(z.sigmoid().data, rel=1e-14)


def test_linear_is_its_sum_and_intermediate_wrt_is_held_as_a_variable():
    w = [Value(0.5, label="w1"), Value(-1.0, label="w2")]
    a = Value(2.0, label="a")
    z = linear(w, [a, 3.0], Value(0.1, label="b"))
    z.label = "z"
    out = z.tanh() * z
    W1, W2, A, B, Z = sp.symbols("w1 w2 a b z", real=True)
    assert to_sympy(z) == W1 * A + 3 * W2 + B
    d = derivative(out, z)
    assert sp.expand(d - sp.diff(sp.tanh(Z) * Z, Z)) == 0
    out.backward()
    assert float(d.subs(Z, z.data)) == pytest.approx(z.grad, rel=1e-12)


def test_shared_subgraph_is_built_once(monkeypatch):
    calls = []
    tanh_form = ops.TANH.sympy
    monkeypatch.setattr(ops.TANH, "sympy", lambda sp, x: calls.append(x) or tanh_form(sp, x))
    a = Value(0.2, label="a")
    b = a.tanh()
    c = b * b + b
    assert to_sympy(c) == sp.tanh(sp.Symbol("a", real=True)) ** 2 + \
        sp.tanh(sp.Symbol("a", real=True))
    assert len(calls) == 1


def test_custom_op_with_and_without_a_sympy_form():
    softplus = custom_op(lambda x: math.log1p(math.exp(x)), lambda x: 1 / (1 + math.exp(-x)),
                         "softplus", sympy=lambda sp, x: sp.log(1 + sp.exp(x)))
    unnamed = custom_op(lambda x: math.log1p(math.exp(x)), lambda x: 1 / (1 + math.exp(-x)),
                        "softplus")
    x = Value(0.7, label="x")
    X = sp.Symbol("x", real=True)
    assert to_sympy(softplus(x)) == sp.log(1 + sp.exp(X))
    assert float(derivative(softplus(x), x).subs(X, 0.7)) == pytest.approx(
        1 / (1 + math.exp(-0.7)), rel=1e-12)
    f = sp.Function("softplus")
    assert to_sympy(unnamed(x)) == f(X)
    assert derivative(unnamed(x) * 2, x) == 2 * sp.Derivative(f(X), X)
    times = custom_op(lambda a, b: a * b, lambda a, b: (b, a), "times")
    assert to_sympy(times(x, 2.5)) == sp.Function("times")(X, sp.Rational(5, 2))
    with pytest.raises(TypeError, match="sympy must be callable"):
        custom_op(lambda x: x, lambda x: 1.0, "id", sympy="x")


def test_micrograd_style_node_is_an_undefined_function_of_its_parents():
    x = Value(0.5, label="x")
    out = Value(math.tanh(0.5), (x,), "my tanh")
    out._backward = lambda: None
    X = sp.Symbol("x", real=True)
    f = sp.Function("my_tanh")
    assert to_sympy(out * x) == f(X) * X
    assert derivative(out * x, x) == X * sp.Derivative(f(X), X) + f(X)


def test_duplicate_labels_get_distinct_symbols():
    a, b = Value(1.0, label="x"), Value(2.0, label="x")
    expr = to_sympy(a * b + a)
    assert {s.name for s in expr.free_symbols} == {"x", "x#2"}


def test_deep_chain_builds_without_recursion():
    x = Value(0.1, label="x")
    v = x
    for _ in range(1500):   # deeper than Python's recursion limit
        v = v + 1.0
    assert to_sympy(v) == sp.Symbol("x", real=True) + 1500


def test_bad_arguments():
    x = Value(1.0, label="x")
    with pytest.raises(TypeError, match="expected a Value"):
        to_sympy(1.0)
    with pytest.raises(ValueError, match="not in the output's graph; its labelled values are: x"):
        derivative(x * 2, Value(3.0, label="w"))


def test_formula_names_drop_brackets():
    assert [formula_name(n) for n in ("W[2]_11", "a[1]_1", "x_2", "W[1]_10,2")] == [
        "W2_11", "a1_1", "x_2", "W1_10_2"]
