"""Regression tests for the engine: exact values, reuse, depth, errors, no_grad."""

import math

import numpy as np
import pytest

from autograd import Value, backward_steps, no_grad, topological_order


def micrograd_sanity(V):
    x = V(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    return x, y


def micrograd_more_ops(V):
    a, b = V(-4.0), V(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return a, b, g


def test_micrograd_sanity_expression():
    # y = relu(z^2) + q + q*x with z = 3x + 2, q = relu(z) + z*x; at x = -4: y = -20, dy/dx = 46.
    x, y = micrograd_sanity(Value)
    assert y.data == -20.0
    assert x.grad == 46.0


def test_micrograd_more_ops_expression():
    # Values published in micrograd's README (checked there against PyTorch).
    a, b, g = micrograd_more_ops(Value)
    assert g.data == pytest.approx(24.70408163265306, rel=1e-12)
    assert a.grad == pytest.approx(138.83381924198252, rel=1e-12)
    assert b.grad == pytest.approx(645.5772594752186, rel=1e-12)


def test_same_results_as_micrograd_from_pypi():
    mg = pytest.importorskip("micrograd.engine")
    ours, theirs = micrograd_more_ops(Value), micrograd_more_ops(mg.Value)
    assert [v.data for v in ours] == pytest.approx([v.data for v in theirs], rel=1e-12)
    assert [v.grad for v in ours] == pytest.approx([v.grad for v in theirs], rel=1e-12)


def test_neuron_gradients_match_hand_derivation():
    x, w, b = Value(2.0), Value(-3.0), Value(6.8813735870195432)
    n = x * w + b
    o = n.tanh()
    o.backward()
    local = 1 - math.tanh(n.data) ** 2
    assert o.data == pytest.approx(math.tanh(n.data))
    assert x.grad == pytest.approx(local * w.data)
    assert w.grad == pytest.approx(local * x.data)
    assert b.grad == pytest.approx(local)


def test_reuse_accumulates_over_every_path():
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
    assert len(b._prev) == 2 and b._prev[0] is b._prev[1] is a


def test_square_by_self_multiplication():
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0


def test_deep_chain_backward_needs_no_recursion():
    # 200,000 levels: 200 times Python's recursion limit (the benchmark goes to 1,000,000).
    x, w = Value(1.0), Value(0.5)
    y = x
    for _ in range(200_000):
        y = y + w
    y.backward()
    assert y.data == 100_001.0
    assert (x.grad, w.grad) == (1.0, 200_000.0)


def test_deep_and_wide_graph_gradients():
    # Every leaf used twice (x_i * x_(i+1)), products summed by a balanced tree, scaled, two
    # tanh on top: d/dx_i = slope·(x_(i-1) + x_(i+1)), checked against the formula.
    xs = [Value(math.sin(i)) for i in range(20_000)]
    terms = [a * b for a, b in zip(xs, xs[1:] + xs[:1])]
    while len(terms) > 1:
        terms = [a + b for a, b in zip(terms[::2], terms[1::2])] + terms[len(terms) // 2 * 2:]
    n = len(xs)
    s = terms[0] * (1.0 / n)
    y = s.tanh().tanh()
    y.backward()
    t1 = math.tanh(s.data)
    slope = (1 - math.tanh(t1) ** 2) * (1 - t1 ** 2) / n
    assert slope > 1e-5
    for i in (0, 1, 777, n - 1):
        expected = slope * (xs[i - 1].data + xs[(i + 1) % n].data)
        assert xs[i].grad == pytest.approx(expected, rel=1e-9)


def test_backward_twice_accumulates_in_leaves_only():
    a, b = Value(2.0), Value(5.0)
    y = a * b
    z = y * 3
    z.backward()
    assert (a.grad, b.grad, y.grad) == (15.0, 6.0, 3.0)
    z.backward()
    # Leaves add the same gradient again; micrograd would give a.grad == 60 here.
    assert (a.grad, b.grad) == (30.0, 12.0)
    assert y.grad == 3.0


def test_two_losses_sharing_a_subgraph_add_up():
    w = Value(2.0)
    h = w * w
    (h * 3).backward()
    (h * 5).backward()
    assert w.grad == pytest.approx(2 * 2.0 * (3 + 5))


def test_backward_seed_and_leaf_root():
    a = Value(2.0)
    (a * 4).backward(0.5)
    assert a.grad == 2.0
    a.backward()
    assert a.grad == 3.0


def test_backward_steps_agree_with_backward():
    def build():
        x, w = Value(0.7, label="x"), Value(-1.3, label="w")
        y = (x * w + x).tanh() * x
        return x, w, y

    x1, w1, y1 = build()
    y1.backward()
    x2, w2, y2 = build()
    steps = list(backward_steps(y2))
    assert (x2.grad, w2.grad) == (x1.grad, w1.grad)
    assert len(steps) == sum(len(n._prev) for n in topological_order(y2))
    to_x = [s for s in steps if s.parent is x2]
    assert len(to_x) == 3  # x is used three times
    assert sum(s.contribution for s in to_x) == pytest.approx(x2.grad)
    for s in steps:
        assert s.contribution == s.local * s.node.grad


def test_backward_steps_nodes_come_after_all_their_users():
    a = Value(1.5)
    b = a * a
    c = b + a
    d = c * b
    finished = set()
    for step in backward_steps(d):
        assert step.parent not in finished
        finished.add(step.node)


def test_topological_order_parents_first():
    a = Value(1.0)
    b = a.exp()
    c = a * b
    order = topological_order(c)
    assert order.index(a) < order.index(b) < order.index(c)
    assert order[-1] is c and len(order) == 3


def test_no_grad_builds_no_graph_and_restores():
    a = Value(2.0)
    with no_grad():
        b = a * 3 + 1
        assert b._prev == () and b._op == ""
    assert b.data == 7.0
    c = a * 3
    assert c._prev == (a, c._prev[1])

    @no_grad()
    def f(v):
        return v * v

    assert f(a)._prev == ()
    assert (a * a)._prev == (a, a)


def test_nested_no_grad():
    from autograd import is_grad_enabled

    with no_grad():
        with no_grad():
            pass
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_numpy_scalars_on_both_sides_give_values():
    v = Value(3.0)
    for s in (np.int64(-2), np.float64(0.5), np.float32(2.0)):
        for r in (s * v, v * s, s + v, s - v, s / v, v**s if s > 0 else v * s):
            assert type(r) is Value
    assert Value(np.int64(4)).data == 4.0
    assert (np.int64(-1) * v).data == -3.0


def test_reflected_ops():
    x = Value(2.0)
    assert (2 - x).data == 0.0
    assert (1 / x).data == 0.5
    y = 3**x
    y.backward()
    assert y.data == 9.0
    assert x.grad == pytest.approx(9.0 * math.log(3.0))


def test_value_exponent():
    x, n = Value(2.0), Value(3.0)
    y = x**n
    y.backward()
    assert y.data == 8.0
    assert x.grad == 12.0
    assert n.grad == pytest.approx(8.0 * math.log(2.0))


@pytest.mark.parametrize("bad", ["a", None, True, [1.0], 1 + 2j])
def test_constructor_refuses_non_numbers(bad):
    with pytest.raises(TypeError, match="expected an int, float or numpy scalar"):
        Value(bad)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_constructor_refuses_non_finite(bad):
    with pytest.raises(ValueError, match="finite"):
        Value(bad)


def test_operand_type_errors_name_the_op_and_value():
    with pytest.raises(TypeError, match=r"'\+' with a Value.*str 'a'"):
        Value(1.0) + "a"
    with pytest.raises(TypeError, match=r"'\*' with a Value.*NoneType"):
        None * Value(1.0)
    with pytest.raises(TypeError, match="bool"):
        Value(1.0) * True


def test_log_of_non_positive():
    with pytest.raises(ValueError, match=r"log\(0\): input must be > 0"):
        Value(0).log()
    with pytest.raises(ValueError, match="must be > 0"):
        Value(-1.0).log()


def test_zero_to_negative_power_and_division_by_zero():
    with pytest.raises(ZeroDivisionError, match="zero to a negative power"):
        Value(0) ** -1
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        Value(1.0) / 0
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        1.0 / Value(0.0)


def test_pow_domain_errors():
    with pytest.raises(ValueError, match="integer exponent"):
        Value(-8.0) ** (1 / 3)
    assert (Value(-2.0) ** 3).data == -8.0
    with pytest.raises(ValueError, match="infinite at 0"):
        Value(0.0) ** 0.5
    with pytest.raises(ValueError, match="base > 0"):
        Value(-2.0) ** Value(2.0)


def test_overflow_is_a_clear_error():
    with pytest.raises(OverflowError, match=r"exp\(1000\) overflows"):
        Value(1000.0).exp()
    with pytest.raises(OverflowError, match=r"'\*' of \(1e\+300, 1e\+300\) overflows"):
        Value(1e300) * Value(1e300)


@pytest.mark.parametrize("x", [-1000.0, -40.0, 40.0, 1000.0])
def test_saturating_functions_stay_finite(x):
    for op in ("tanh", "sigmoid"):
        v = Value(x)
        y = getattr(v, op)()
        y.backward()
        assert math.isfinite(y.data) and math.isfinite(v.grad)
        assert v.grad >= 0.0
    v = Value(-x if x > 0 else x)  # exp of a large negative input
    y = v.exp()
    y.backward()
    assert y.data >= 0.0 and v.grad == y.data


def test_saturated_gradients_keep_their_tiny_true_values():
    # 1 - tanh(20)^2 is about 1.7e-17; computing it as 1 - t*t would give exactly 0.
    v = Value(20.0)
    v.tanh().backward()
    assert v.grad == pytest.approx(4 * math.exp(-40), rel=1e-9)
    s = Value(-50.0)
    s.sigmoid().backward()
    assert s.grad == pytest.approx(math.exp(-50), rel=1e-9)


def test_relu_and_micrograd_attributes():
    v = Value(-1.0)
    r = v.relu()
    r.backward()
    assert r.data == 0.0 and v.grad == 0.0
    assert r._op == "ReLU" and r._prev == (v,)
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    assert repr(Value(2.0, label="x")) == "Value(data=2.0, grad=0.0, label='x')"
    assert repr(Value(0.8958441028683222)) == "Value(data=0.8958441028683222, grad=0.0)"


def test_micrograd_style_manual_backward_hook():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    c.grad = 1.0
    c._backward()
    assert (a.grad, b.grad) == (-3.0, 2.0)


def test_value_hashes_by_identity():
    a, b = Value(1.0), Value(1.0)
    assert len({a, b}) == 2
    assert a != b


def test_linear_is_one_node_with_the_chain_rule_factors():
    from autograd import linear

    w = [Value(0.5), Value(-2.0)]
    b = Value(0.25)
    x1 = Value(3.0)
    z = linear(w, [x1, 4.0], b)
    assert z.data == 0.5 * 3.0 - 2.0 * 4.0 + 0.25
    assert z._prev == (w[0], w[1], x1, b)
    assert z._local == (3.0, 4.0, 0.5, 1.0)
    (z * z).backward()
    assert w[1].grad == 2 * z.data * 4.0
    assert x1.grad == 2 * z.data * 0.5
    assert b.grad == 2 * z.data
    with pytest.raises(ValueError, match="2 weights but 1 inputs"):
        linear(w, [1.0])
    with pytest.raises(TypeError, match="linear input.*str 'a'"):
        linear(w, [1.0, "a"])
    assert linear(w, [np.int64(2), 1]).data == 0.5 * 2 - 2.0 * 1


def test_sum_values():
    from autograd import sum_values

    a, b = Value(1.0), Value(2.0)
    s = sum_values([a, b, 3, a])
    s.backward()
    assert s.data == 7.0 and a.grad == 2.0 and b.grad == 1.0
    assert sum_values([]).data == 0.0


def test_repeated_backward_with_a_branch_that_gets_no_gradient():
    # q feeds a dead relu, so q's gradient is 0 and p (only used by q) is never reached by
    # the chain rule: it keeps the zero it was reset to. Later passes, from this root and from
    # another one, must still reset and fill everything.
    x, w = Value(-2.0), Value(3.0)
    p = x * w          # -6
    q = p + 1.0        # -5: relu(q) is dead
    s = x + w          # 1
    y = q.relu() * w + s * s
    for _ in range(3):
        y.backward()
        assert (p.grad, q.grad, s.grad) == (0.0, 0.0, 2.0)
    assert (x.grad, w.grad) == (3 * 2.0, 3 * 2.0)
    z = p * 5.0 + s
    z.backward()
    assert (p.grad, s.grad) == (5.0, 1.0)
    assert (x.grad, w.grad) == (6.0 + 5.0 * 3.0 + 1.0, 6.0 + 5.0 * -2.0 + 1.0)


def test_constants_are_decided_where_a_number_is_lifted():
    """micrograd's cell: the 2 and the 1 are constants; x, made by you, is not."""
    import pickle

    from autograd.extend import is_constant

    x = Value(1.0)
    y = (x * 2 + 1).relu()
    y.backward()
    add = y._prev[0]
    mul, one = add._prev
    two = mul._prev[1]
    assert (x.grad, y.data) == (2.0, 3.0)
    assert is_constant(two) and is_constant(one)
    assert two._op == "" and one._op == "" and not two._prev
    assert not any(is_constant(v) for v in (x, mul, add, y, Value(1.0), Value(2.0, label="c")))
    assert is_constant((2 - x)._prev[1]) and is_constant((x / 4)._prev[1]._prev[0])
    two.label = "two"  # a name does not change what it is
    assert is_constant(two) and two._op == ""
    assert is_constant(pickle.loads(pickle.dumps(one)))
