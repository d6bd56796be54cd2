"""explain: every path's product, their sum equal to backward's gradient, seed-like text."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, explain, linear, topological_order


def seed_network():
    """The seed's 3-4-1 sigmoid network on one sample, labelled by the labelling contract."""
    x = [Value(v, label=f"x_{j + 1}") for j, v in enumerate([0.5, -1.0, 2.0])]
    w1 = [[Value(0.1 * (j + k) - 0.2, label=f"W[1]_{j + 1}{k + 1}") for j in range(3)]
          for k in range(4)]
    b1 = [Value(0.05 * k, label=f"b[1]_{k + 1}") for k in range(4)]
    a1 = []
    for k in range(4):
        z = linear(w1[k], x, b1[k])
        z.label = f"z[1]_{k + 1}"
        a = z.sigmoid()
        a.label = f"a[1]_{k + 1}"
        a1.append(a)
    w2 = [Value(0.2 * j - 0.3, label=f"W[2]_{j + 1}1") for j in range(4)]
    b2 = Value(0.1, label="b[2]_1")
    z2 = linear(w2, a1, b2)
    z2.label = "z[2]_1"
    a2 = z2.sigmoid()
    a2.label = "a[2]_1"
    y = 1.0
    loss = 0.5 * (a2 - y) ** 2
    loss.label = "L"
    return loss, dict(x=x, w1=w1, b1=b1, a1=a1, w2=w2, b2=b2, z2=z2, a2=a2, y=y)


def grads_of(root):
    return [v.grad for v in topological_order(root)]


def assert_total_matches_backward(root, leaves, **kwargs):
    """explain's totals, taken before backward, equal the gradients backward then gives."""
    before = grads_of(root)
    totals = [explain(root, leaf, **kwargs).total for leaf in leaves]
    assert grads_of(root) == before, "explain changed a .grad"
    root.backward()
    for leaf, total in zip(leaves, totals):
        assert total == pytest.approx(leaf.grad, rel=1e-12, abs=1e-15), leaf.label


def test_reads_like_the_seed():
    w = Value(3.0, label="w")
    z = w * 2.0
    z.label = "z"
    loss = z * 0.6
    loss.label = "L"
    ex = explain(loss, w)
    assert str(ex) == "∂L/∂w = ∂L/∂z · ∂z/∂w = (0.6)(2) = 1.2"
    assert ex.n_paths == 1 and len(ex.paths) == 1
    edges = ex.paths[0].edges
    assert [(e.child, e.parent, e.op, e.local) for e in edges] == [
        (loss, z, "*", 0.6), (z, w, "*", 2.0)]
    assert ex.paths[0].product == pytest.approx(1.2)


def test_reuse_counts_one_path_per_argument():
    a = Value(3.0, label="a")
    b = a * a
    b.label = "b"
    ex = explain(b, a)
    assert ex.n_paths == 2
    assert [p.product for p in ex.paths] == [3.0, 3.0]
    assert [p.edges[0].arg for p in ex.paths] == [0, 1]
    assert ex.total == 6.0
    text = str(ex)
    assert "(arg 1)" in text and "(arg 2)" in text and text.endswith("= 3 + 3 = 6")


def test_a_plus_a_twice_gives_four_paths():
    a = Value(3.0, label="a")
    b = a + a
    c = b + b
    ex = explain(c, a)
    assert ex.n_paths == 4 and len(ex.paths) == 4 and ex.total == 4.0
    assert_total_matches_backward(c, [a])
    assert a.grad == 4.0


def test_totals_equal_backward_on_mixed_expressions():
    x, y = Value(0.7, label="x"), Value(-1.3, label="y")
    q = (x * y).tanh() + x.exp() / y - (x ** 2).sigmoid() * y.relu() + (x * x * -y).log()
    out = q * q + x / (1 + y * y)
    assert_total_matches_backward(out, [x, y])


def test_totals_equal_backward_on_the_seed_network():
    loss, net = seed_network()
    leaves = [*net["x"], *sum(net["w1"], []), *net["b1"], *net["w2"], net["b2"]]
    assert_total_matches_backward(loss, leaves)


def test_seed_formulas_in_compact_form():
    loss, net = seed_network()
    a2, z2, a1, x = net["a2"], net["z2"], net["a1"], net["x"]
    g2 = a2.data * (1 - a2.data)          # sigmoid'(z[2]) = g(1 - g)
    g1 = a1[0].data * (1 - a1[0].data)

    ex = explain(loss, net["w2"][0], compact=True)
    by_hand = (a2.data - net["y"]) * g2 * a1[0].data
    assert ex.total == pytest.approx(by_hand, rel=1e-12)
    assert str(ex) == (
        f"∂L/∂W[2]_11 = ∂L/∂a[2]_1 · ∂a[2]_1/∂z[2]_1 · ∂z[2]_1/∂W[2]_11 = "
        f"({a2.data - 1:.6g})({g2:.6g})({a1[0].data:.6g}) = {by_hand:.6g}")

    ex = explain(loss, net["w1"][0][1], compact=True)   # W[1]_21: input 2 -> hidden neuron 1
    by_hand = (a2.data - net["y"]) * g2 * net["w2"][0].data * g1 * x[1].data
    assert ex.total == pytest.approx(by_hand, rel=1e-12)
    assert str(ex).startswith("∂L/∂W[1]_21 = ∂L/∂a[2]_1 · ∂a[2]_1/∂z[2]_1 · ∂z[2]_1/∂a[1]_1 · "
                              "∂a[1]_1/∂z[1]_1 · ∂z[1]_1/∂W[1]_21 = ")
    assert z2.label in str(ex)


def test_full_form_shows_unlabelled_nodes_with_stable_names():
    loss, net = seed_network()
    text = str(explain(loss, net["w2"][0]))
    # 0.5 * (a2 - y) ** 2: the '+' (a2 + -y), '**2' and '*' nodes get op-name counters
    assert "∂L/∂pow1 · ∂pow1/∂add1 · ∂add1/∂a[2]_1" in text
    again, net2 = seed_network()
    assert str(explain(again, net2["w2"][0])) == text


def test_compact_folds_reuse_inside_unlabelled_nodes():
    a = Value(3.0, label="a")
    c = (a + a) + (a + a)
    c.label = "c"
    full, compact = explain(c, a), explain(c, a, compact=True)
    assert len(full.factor_paths()) == 4
    [(factors, product)] = compact.factor_paths()
    assert product == 4.0 and factors[0].routes == 4 and set(factors[0].ops) == {"+"}
    assert str(compact) == "∂c/∂a = ∂c/∂a = (4) = 4"


def test_input_paths_sum_over_hidden_neurons():
    loss, net = seed_network()
    ex = explain(loss, net["x"][1])
    assert ex.n_paths == 4                              # one through each hidden neuron
    assert {p.edges[-1].child.label for p in ex.paths} == {f"z[1]_{k}" for k in range(1, 5)}
    assert sum(p.product for p in ex.paths) == pytest.approx(ex.total, rel=1e-15)


def test_too_many_paths_gives_count_and_edge_summary():
    a = Value(1.0, label="a")
    x = a
    for _ in range(40):
        x = x + x
    x.label = "L"
    ex = explain(x, a, max_paths=1000)
    assert ex.summarized and ex.paths is None
    assert ex.n_paths == 2 ** 40
    text = str(ex)
    assert "1,099,511,627,776 paths" in text and "max_paths=1000" in text
    rows = ex.edge_summary()
    assert len(rows) == 80                             # two edges per '+'
    into = [r for r in rows if r.parent is a]
    assert math.fsum(r.contribution for r in into) == ex.total == 2.0 ** 40
    assert all(r.paths == 2 ** 39 for r in rows)
    assert "| from | to |" in ex.to_markdown() and r"\sum" in ex.to_latex()
    x.backward()
    assert a.grad == ex.total


def test_astronomical_path_counts_stay_cheap():
    a = Value(1.0, label="a")
    x = a
    for _ in range(100):
        x = x * 1.0 + x * 1.0
    ex = explain(x, a)
    assert ex.n_paths == pytest.approx(2.0 ** 100) and "about 1.27e+30 paths" in str(ex)
    assert ex.total == 2.0 ** 100


def test_summary_total_matches_backward_on_the_seed_network():
    loss, net = seed_network()
    assert_total_matches_backward(loss, net["x"], max_paths=2)
    ex = explain(loss, net["x"][0], max_paths=2)
    assert ex.summarized
    assert math.fsum(r.contribution for r in ex.edge_summary() if r.parent is net["x"][0]) \
        == pytest.approx(ex.total, rel=1e-15)


def test_deep_chain_without_recursion():
    a = Value(0.5, label="a")
    x = a
    for _ in range(50_000):                            # 50x Python's recursion limit
        x = x * 1.0
    ex = explain(x, a)
    assert ex.n_paths == 1 and len(ex.paths[0].edges) == 50_000 and ex.total == 1.0
    assert "more)" in str(ex)                          # the middle of the formula is elided


def test_no_path_and_output_itself():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    out = b * 3
    out.label = "y"
    ex = explain(out, a)
    assert ex.n_paths == 0 and ex.total == 0.0 and ex.paths == []
    assert "does not depend on a" in str(ex)
    ex = explain(out, out)
    assert ex.total == 1.0 and "the output itself" in str(ex)


def test_markdown_and_latex():
    loss, net = seed_network()
    ex = explain(loss, net["w2"][0], compact=True)
    md = ex.to_markdown()
    assert md.count("\n| `∂") == 3 and "`sigmoid`" in md and "`linear`" in md
    tex = ex.to_latex()
    assert tex.startswith(r"\begin{aligned}") and tex.endswith(r"\end{aligned}")
    assert (r"\frac{\partial L}{\partial W^{[2]}_{11}} &= \frac{\partial L}{\partial a^{[2]}_{1}}"
            r" \cdot \frac{\partial a^{[2]}_{1}}{\partial z^{[2]}_{1}}") in tex


def test_bad_arguments():
    a = Value(1.0)
    with pytest.raises(TypeError, match="explain: output must be a Value"):
        explain(3.0, a)
    with pytest.raises(TypeError, match="wrt must be a Value"):
        explain(a, 2)
    with pytest.raises(ValueError, match="max_paths"):
        explain(a, a, max_paths=0)


OPS = ["+", "*", "tanh", "sigmoid", "exp"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 100), st.integers(0, 100)),
                min_size=1, max_size=25),
       st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=3),
       st.integers(1, 50))
def test_total_equals_backward_on_random_graphs(program, start, max_paths):
    nodes = [Value(v, label=f"x{i}") for i, v in enumerate(start)]
    leaves = list(nodes)
    for op, i, j in program:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if op == "+":
            nodes.append(a + b)
        elif op == "*":
            nodes.append(a * b * 0.5)
        elif op == "exp":
            nodes.append((a * 0.1).exp())
        else:
            nodes.append(getattr(a, op)())
    assert_total_matches_backward(nodes[-1], leaves, max_paths=max_paths)
