"""Second and third derivatives of every op in the table, against central differences.

Each row of the table of ops (the losses in ``nn`` included) declares once where its inputs
lie, how it is called and where its kinks are; hypothesis draws the calls from that
(``op_rows.calls``), so a new op is tested as soon as it is defined.
"""

import math

import pytest
from hypothesis import given, settings
from op_rows import calls, node_of, row_names

from autograd import gradgradcheck, hessian
from autograd.extend import OPS
from autograd.transforms.higher import fresh_leaves, grad


def for_each_call(name, examples, check):
    """Run ``check(xs, params)`` on ``examples`` calls of the row drawn by hypothesis."""
    @settings(max_examples=examples, deadline=None)
    @given(calls(OPS[name]))
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


@pytest.mark.parametrize("name", row_names())
def test_second_derivatives_match_differences_of_the_first(name):
    def check(xs, params):
        report = gradgradcheck(node_of(OPS[name], params), xs, eps=1e-5, atol=1e-6, rtol=1e-5)
        assert report.ok, f"{name} {params}\n{report}"

    for_each_call(name, 15, check)


@pytest.mark.parametrize("name", row_names())
def test_third_derivatives_match_differences_of_the_second(name):
    def check(xs, params):
        f = node_of(OPS[name], params)
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
        [[h]] = hessian(node_of(OPS[name], {}), [x])
        assert h == pytest.approx(value, rel=1e-12), name
    [[h]] = hessian(node_of(OPS["**"], {"n": -1.5}), [x])
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
    if name not in rows:
        pytest.skip(f"no PyTorch form written for the row {name!r}")
    return lambda x: rows[name](x, **params)


@pytest.mark.parametrize("name", row_names())
def test_second_and_third_derivatives_match_pytorch(name):
    torch = pytest.importorskip("torch")
    from torch.autograd.functional import hessian as torch_hessian
    from torch.autograd.functional import jacobian

    torch_function(torch, name, OPS[name].examples[0][1])  # skips a row with no PyTorch form

    def check(xs, params):
        f, t = node_of(OPS[name], params), torch_function(torch, name, params)
        x = torch.tensor(xs, dtype=torch.float64)
        expected_h = torch_hessian(t, x)
        expected_t = jacobian(lambda y: torch_hessian(t, y, create_graph=True), x)
        ours_h = torch.tensor(hessian(f, xs), dtype=torch.float64)
        ours_t = torch.tensor(third_derivatives(f, xs), dtype=torch.float64)
        torch.testing.assert_close(ours_h, expected_h, rtol=1e-9, atol=1e-12)
        torch.testing.assert_close(ours_t, expected_t, rtol=1e-8, atol=1e-10)

    for_each_call(name, 5, check)
