"""The chain rule once: backward's unrolled loop against the sweep every tool uses, on random
graphs, to the last bit; one node factory; grad mode decided in one place."""

import math

import pytest
from hypothesis import given, settings
from op_rows import BINARY, NARY, UNARY, compose, compositions

from autograd import (
    Value,
    backward_steps,
    custom_op,
    explain,
    grad,
    linear,
    no_grad,
    sum_values,
    topological_order,
)
from autograd.core.backward import _backward_order
from autograd.extend import ChainRule, is_constant


def graphs():
    """Random graphs over three leaves with reuse: + * - every unary op, sums, weighted sums."""
    return compositions(kinds=BINARY + NARY, unary=tuple(UNARY), max_steps=25)


def build(steps, inputs):
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(inputs)]
    return leaves, compose(steps, *leaves)


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_backward_gives_the_sweeps_gradients_to_the_last_bit(graph):
    leaves, root = build(*graph)
    sweep = ChainRule(root).run()
    expected = {v: sweep.grad(v) for v in topological_order(root)}
    assert all(v.grad == 0.0 for v in expected)  # the sweep wrote no .grad
    root.backward()
    assert {v: v.grad for v in expected} == expected


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_backward_takes_the_chain_rules_order(graph):
    _, root = build(*graph)
    assert _backward_order(root)[0] == ChainRule(root).order


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_grad_backward_steps_and_explain_give_backwards_gradients(graph):
    leaves, root = build(*graph)
    numbers = [g.data for g in grad(root, leaves)]
    built = [g.data for g in grad(root, leaves, create_graph=True)]
    summarized = [explain(root, x, max_paths=1) for x in leaves]
    steps = list(backward_steps(root))
    reference_leaves, reference = build(*graph)
    reference.backward()
    expected = [x.grad for x in reference_leaves]
    assert numbers == expected
    assert [x.grad for x in leaves] == expected  # backward_steps took the same steps
    assert [e.total for e in summarized if e.summarized] == \
        [g for e, g in zip(summarized, expected) if e.summarized]
    assert built == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert all(s.contribution == s.local * s.node.grad for s in steps)


def test_a_value_used_many_times_collects_every_contribution():
    a = Value(1.5)
    b = a + a
    c = b + b
    d = c * a
    sweep = ChainRule(d)
    steps = list(sweep)
    into_a = [s for s in steps if s.parent is a]
    assert len(into_a) == 3 and sweep.grad(a) == math.fsum(s.contribution for s in into_a)
    d.backward()
    assert a.grad == sweep.grad(a) == 4 * 1.5 + 6.0


def test_built_in_and_custom_ops_make_the_same_leaf_under_no_grad():
    """Under no_grad every op makes a leaf: no parents, no op ('' and not a constant)."""
    square = custom_op(lambda x: x * x, lambda x: 2 * x, "square")
    x = Value(3.0)
    with no_grad():
        made = [x.tanh(), x * 2, x + x, square(x), linear([x], [x], x, label="z"),
                sum_values([x, x]), Value(9.0, (x,), "f")]
    for v in made:
        assert (v._prev, v._op, is_constant(v), v._depth) == ((), "", False, 0), v
    assert made[4].label == "z"  # a label is kept: only the graph is not


def test_the_sweep_never_changes_a_grad():
    x = Value(0.5, label="x")
    x.grad = 7.0
    y = (x * x).tanh()
    list(ChainRule(y))
    assert (x.grad, y.grad) == (7.0, 0.0)
