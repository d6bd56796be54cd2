"""evaluate: a forward replay over the recorded ops equals building the graph again."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, custom_op, evaluate, linear, sum_values, topological_order
from demos.derivation import seed_sample
from nn import MLP


def build(x, w, b, c):
    """A graph with every kind of op: linear with a constant input, sum with a constant,
    powers by a number and by a Value, a custom op, and each unary function."""
    scale = custom_op(lambda u, k: u * k, lambda u, k: (k, u), "scale")
    z = linear([w, c], [x, 0.5], b)
    s = sum_values([z.tanh(), (x * x).exp() * 0.1, 2.0, (c ** 2 + 1.0).log()])
    return scale(s, 1.5) + z.sigmoid() ** 3 + (c * c + 0.5) ** (w * 0.3) + (z - 1.0).relu() / 4


def snapshot(root):
    return [(v.data, v.grad) for v in topological_order(root)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-2, 2), min_size=4, max_size=4),
       st.lists(st.floats(-2, 2), min_size=4, max_size=4))
def test_evaluate_equals_rebuilding(first, second):
    leaves = [Value(v, label=n) for v, n in zip(first, "xwbc")]
    out = build(*leaves)
    out.backward()
    before = snapshot(out)
    replayed = evaluate(out, dict(zip(leaves, second)))
    assert replayed == build(*(Value(v) for v in second)).data   # same rows, same floats
    assert snapshot(out) == before                                # the graph is untouched
    assert evaluate(out, {}) == out.data


def test_evaluate_on_the_seed_network_at_several_points():
    _, L, weights = seed_sample()
    leaves = {v.label: v for v in topological_order(L) if not v._prev and v.label}
    rng = random.Random(0)
    for _ in range(5):
        new = {name: leaf.data + rng.uniform(-0.5, 0.5) for name, leaf in leaves.items()}
        model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
        model.load_state_dict({key: new[p.label] for key, p in model.named_parameters()})
        x = [Value(new[f"x_{j}"]) for j in (1, 2, 3)]
        rebuilt = 0.5 * (model(x) - new["y"]) ** 2
        assert evaluate(L, {leaves[n]: v for n, v in new.items()}) == rebuilt.data


def test_leaves_not_given_keep_their_values():
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    assert evaluate(x * y + x, {x: 1.0}) == 4.0
    assert evaluate(x * y + x, {y: 0.0}) == 2.0


def test_bad_values_are_refused_by_name():
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    out = (x * y).log()
    with pytest.raises(ValueError, match=r"not a leaf of the output's graph; its leaves are: x, y"):
        evaluate(out, {Value(1.0, label="q"): 1.0})
    with pytest.raises(ValueError, match="not a leaf"):
        evaluate(out, {out._prev[0]: 1.0})
    with pytest.raises(ValueError, match="must be finite"):
        evaluate(out, {x: math.nan})
    with pytest.raises(TypeError, match="value of x"):
        evaluate(out, {x: "1"})
    with pytest.raises(ValueError, match=r"at node 'log1'.*log\(-6\): input must be > 0"):
        evaluate(out, {x: -2.0})
    with pytest.raises(TypeError, match="dict"):
        evaluate(out, [(x, 1.0)])


def test_node_without_a_row_is_refused_by_name():
    x = Value(0.5, label="x")
    t = Value(math.tanh(0.5), (x,), "my_tanh", label="t")
    t._backward = lambda: None
    with pytest.raises(ValueError, match=r"node 't' \(op 'my_tanh'\) was made without a row"):
        evaluate(t * 2, {x: 1.0})
