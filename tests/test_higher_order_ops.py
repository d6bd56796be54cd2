"""Second and third derivatives of every op in the table, against central differences.

Each row of ``autograd.core.OPS`` (the losses in ``nn`` included) declares its domain once;
hypothesis draws the inputs from it. ``CALLS`` says how to call each row (how many Value
arguments, which parameters); a row without an entry fails the first test, so a new op cannot
go untested.
"""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nn  # noqa: F401  (registers the loss rows)
from autograd import gradgradcheck, hessian
from autograd.core import OPS, apply_op
from autograd.transforms.higher import fresh_leaves, grad

# row name -> strategy of (number of Value arguments, the node's parameters)
CALLS = {
    "+": st.just((2, {})),
    "*": st.just((2, {})),
    "**": st.sampled_from([2.0, 3.0, -1.0, 0.5, -2.5, 1.0]).map(lambda n: (1, {"n": n})),
    "**value": st.just((2, {})),
    "exp": st.just((1, {})),
    "log": st.just((1, {})),
    "tanh": st.just((1, {})),
    "sigmoid": st.just((1, {})),
    "ReLU": st.just((1, {})),
    "sum": st.sampled_from([0.0, 1.5]).map(lambda c: (3, {"const": c})),
    "linear": st.sampled_from([(2, (None, None), True), (2, (None, 0.7), True),
                               (3, (0.5, -1.0, 2.0), False)])
                .map(lambda layout: (layout[0] + layout[1].count(None) + layout[2],
                                     {"layout": layout})),
    "bce": st.sampled_from([0.0, 1.0, 0.3]).map(lambda y: (1, {"y": y})),
    "bce_logits": st.sampled_from([0.0, 1.0, 0.3]).map(lambda y: (1, {"y": y})),
    "cross_entropy": st.sampled_from([(0, None, 3), (2, None, 3), (1, (None, 0.5, None), 2),
                                      (0, (-0.3, None), 1)])
                       .map(lambda c: (c[2], {"target": c[0], "layout": c[1]})),
}
KINKS = {"ReLU": 0.0}  # inputs closer than 1e-2 to these are skipped (no second derivative)


def node_of(name, params):
    """f(*values) = one node of the row ``name`` with these parameters."""
    return lambda *vs: apply_op(OPS[name].tag(**params), tuple(vs))


@st.composite
def calls(draw, name):
    arity, params = draw(CALLS[name])
    low, high = OPS[name].domain
    xs = draw(st.lists(st.floats(low, high, allow_nan=False), min_size=arity, max_size=arity))
    if name in KINKS:
        assume(all(abs(x - KINKS[name]) > 1e-2 for x in xs))
    return xs, params


def for_each_call(name, examples, check):
    """Run ``check(xs, params)`` on ``examples`` calls of the row drawn by hypothesis."""
    @settings(max_examples=examples, deadline=None)
    @given(calls(name))
    def run(call):
        check(*call)

    run()


def third_derivatives(f, xs):
    """T[i][j][k] = ∂³f/∂x_i∂x_j∂x_k: grad three times, each pass built with create_graph."""
    leaves = fresh_leaves(xs)
    first = grad(f(*leaves), leaves, create_graph=True)
    second = [grad(g, leaves, create_graph=True) for g in first]
    return [[[t.data for t in grad(h, leaves)] for h in row] for row in second]


def hessian_differences(f, xs, k, eps):
    """(H(x + eps e_k) - H(x - eps e_k)) / 2eps."""
    up, down = list(xs), list(xs)
    up[k] += eps
    down[k] -= eps
    return [[(a - b) / (2 * eps) for a, b in zip(ru, rd)]
            for ru, rd in zip(hessian(f, up), hessian(f, down))]


def test_every_row_of_the_table_has_a_call():
    assert set(CALLS) == set(OPS), "add a CALLS entry for each new op"


@pytest.mark.parametrize("name", sorted(CALLS))
def test_second_derivatives_match_differences_of_the_first(name):
    def check(xs, params):
        report = gradgradcheck(node_of(name, params), xs, eps=1e-5, atol=1e-6, rtol=1e-5)
        assert report.ok, f"{name} {params}\n{report}"

    for_each_call(name, 15, check)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_third_derivatives_match_differences_of_the_second(name):
    def check(xs, params):
        f = node_of(name, params)
        analytic = third_derivatives(f, xs)
        for k in range(len(xs)):
            numeric = hessian_differences(f, xs, k, 1e-5)
            for i in range(len(xs)):
                for j in range(len(xs)):
                    assert analytic[i][j][k] == pytest.approx(numeric[i][j], rel=1e-4, abs=1e-5), \
                        (name, params, xs, i, j, k)

    for_each_call(name, 8, check)


def test_known_second_derivatives_by_formula():
    """A few rows against their hand-derived second derivative at one point."""
    x = 0.4
    s = 1 / (1 + math.exp(-x))
    t = math.tanh(x)
    expected = {
        "sigmoid": s * (1 - s) * (1 - 2 * s),
        "tanh": -2 * t * (1 - t * t),
        "exp": math.exp(x),
        "log": -1 / x**2,
    }
    for name, value in expected.items():
        [[h]] = hessian(node_of(name, {}), [x])
        assert h == pytest.approx(value, rel=1e-12), name
    [[h]] = hessian(node_of("**", {"n": -1.5}), [x])
    assert h == pytest.approx(-1.5 * -2.5 * x ** -3.5, rel=1e-12)


def torch_function(torch, name, params):
    """The row ``name`` written with torch on a 1-D tensor of its Value arguments."""
    def fill(x, layout):
        if layout is None:
            return x
        rest = iter(x)
        return torch.stack([next(rest) if c is None else torch.tensor(c, dtype=x.dtype)
                            for c in layout])

    def linear(x, layout):
        n, inputs, has_bias = layout
        xs = fill(x[n:], inputs)
        return (x[:n] * xs).sum() + (x[-1] if has_bias else 0.0)

    def cross_entropy(x, target, layout):
        z = fill(x, layout)
        return torch.logsumexp(z, 0) - z[target]

    rows = {
        "+": lambda x: x[0] + x[1],
        "*": lambda x: x[0] * x[1],
        "**": lambda x, n: x[0] ** n,
        "**value": lambda x: x[0] ** x[1],
        "exp": lambda x: x[0].exp(),
        "log": lambda x: x[0].log(),
        "tanh": lambda x: x[0].tanh(),
        "sigmoid": lambda x: x[0].sigmoid(),
        "ReLU": lambda x: x[0].relu(),
        "sum": lambda x, const: x.sum() + const,
        "linear": linear,
        "bce": lambda x, y: -(y * x[0].log() + (1 - y) * (1 - x[0]).log()),
        "bce_logits": lambda x, y: torch.nn.functional.binary_cross_entropy_with_logits(
            x[0], torch.tensor(y, dtype=x.dtype)),
        "cross_entropy": cross_entropy,
    }
    return lambda x: rows[name](x, **params)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_second_and_third_derivatives_match_pytorch(name):
    torch = pytest.importorskip("torch")
    from torch.autograd.functional import hessian as torch_hessian
    from torch.autograd.functional import jacobian

    def check(xs, params):
        f, t = node_of(name, params), torch_function(torch, name, params)
        x = torch.tensor(xs, dtype=torch.float64)
        expected_h = torch_hessian(t, x)
        expected_t = jacobian(lambda y: torch_hessian(t, y, create_graph=True), x)
        ours_h = torch.tensor(hessian(f, xs), dtype=torch.float64)
        ours_t = torch.tensor(third_derivatives(f, xs), dtype=torch.float64)
        torch.testing.assert_close(ours_h, expected_h, rtol=1e-9, atol=1e-12)
        torch.testing.assert_close(ours_t, expected_t, rtol=1e-8, atol=1e-10)

    for_each_call(name, 5, check)
