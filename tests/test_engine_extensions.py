"""How people extend micrograd, run here and in micrograd side by side; grad mode per thread."""

import asyncio
import math
import threading

import pytest

from autograd import Value, backward_steps, explain, is_grad_enabled, local_derivatives, no_grad

micrograd = pytest.importorskip("micrograd.engine")
MV = micrograd.Value


def lecture_tanh(self):
    """The lecture's tanh: a node made by hand, its backward assigned afterwards."""
    x = self.data
    t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
    out = type(self)(t, (self,), "tanh")

    def _backward():
        self.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


def lecture_ln(self):
    out = type(self)(math.log(self.data), (self,), "ln")

    def _backward():
        self.grad += (1 / self.data) * out.grad

    out._backward = _backward
    return out


@pytest.fixture(params=[Value, MV], ids=["ours", "micrograd"])
def V(request, monkeypatch):
    """Value or micrograd's Value; both get the lecture's ops monkeypatched on, as notebooks do."""
    for cls in (Value, MV):
        monkeypatch.setattr(cls, "tanh_by_hand", lecture_tanh, raising=False)
        monkeypatch.setattr(cls, "ln", lecture_ln, raising=False)
    return request.param


def lecture_neuron(V):
    x1, x2, w1, w2 = V(2.0), V(0.0), V(-3.0), V(1.0)
    b = V(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh_by_hand() + (x1 * x1).ln()
    o.backward()
    return o, (x1, x2, w1, w2, b)


def test_monkeypatched_ops_with_their_own_backward_match_micrograd(V):
    o, leaves = lecture_neuron(V)
    _, reference = lecture_neuron(MV)
    assert o.data == pytest.approx(0.7071067811865476 + math.log(4.0))
    assert [v.grad for v in leaves] == pytest.approx([v.grad for v in reference], rel=1e-15)
    assert leaves[0].grad == pytest.approx(-1.5 + 2 * 2.0 / 4.0)


def test_lecture_topological_sort_calls_backward_hooks(V):
    """The lecture's own backward: a recursive topological sort calling node._backward()."""
    a, b = V(0.5), V(-1.5)
    c = (a * b + a).tanh_by_hand() * b
    topo, visited = [], set()

    def build(v):
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build(child)
            topo.append(v)

    build(c)
    c.grad = 1.0
    for node in reversed(topo):
        node._backward()
    expected = Value(0.5), Value(-1.5)
    ((expected[0] * expected[1] + expected[0]).tanh() * expected[1]).backward()
    assert (a.grad, b.grad) == pytest.approx((expected[0].grad, expected[1].grad), rel=1e-12)


class Scaled(Value):
    """A subclass with ops of its own, written micrograd's way."""

    def sin(self):
        out = Scaled(math.sin(self.data), (self,), "sin")

        def _backward():
            self.grad += math.cos(self.data) * out.grad

        out._backward = _backward
        return out


def test_subclass_works_with_every_op_and_its_own_backward():
    a, b = Scaled(1.0), Scaled(2.0)
    for r in (a + b, a - b, a * b, a / b, a**2, b**a, -a, 2 + a, 2 * a, 2 - a, 2 / a,
              a.exp(), a.log(), a.tanh(), a.sigmoid(), a.relu(), a + Value(1.0)):
        assert isinstance(r, Value) and math.isfinite(r.data)
    y = a.sin() * b + (b * b).relu()
    y.backward()
    assert a.grad == pytest.approx(math.cos(1.0) * 2.0, rel=1e-15)
    assert b.grad == pytest.approx(math.sin(1.0) + 4.0, rel=1e-15)


def test_node_without_backward_passes_no_gradient_like_micrograd(V):
    x = V(3.0)
    y = V(x.data * 2, (x,), "double")  # no _backward assigned: micrograd's default does nothing
    (y * 5).backward()
    assert x.grad == 0.0


def test_steps_explain_and_local_derivatives_measure_a_hand_made_backward():
    x, w = Value(0.3, label="x"), Value(-0.8, label="w")
    h = lecture_tanh(x * w)
    y = h * w
    t = math.tanh(0.3 * -0.8)
    assert local_derivatives(h) == pytest.approx((1 - t * t,), rel=1e-12)
    assert (h.grad, x.grad) == (0.0, 0.0)  # measuring put every gradient back
    assert explain(y, x).total == pytest.approx((1 - t * t) * -0.8 * -0.8, rel=1e-12)
    steps = [s for s in backward_steps(y) if s.node is h]
    assert len(steps) == 1 and steps[0].local == pytest.approx(1 - t * t, rel=1e-12)
    assert x.grad == pytest.approx((1 - t * t) * -0.8 * -0.8, rel=1e-12)


def test_backward_hook_must_be_a_function():
    with pytest.raises(TypeError, match="_backward must be a function"):
        Value(1.0)._backward = 3.0


def test_repr_round_trips_like_micrograd():
    for x in (0.8958441028683222, -1e-300, 12345.678901234567):
        v = Value(x)
        assert repr(v) == f"Value(data={x!r}, grad=0.0)"
        assert repr(MV(x)).startswith(f"Value(data={x!r}, ")  # micrograd's grad starts as int 0
        assert float(repr(v).split("data=")[1].split(",")[0]) == x


def test_children_must_be_values():
    with pytest.raises(TypeError, match="every child must be a Value"):
        Value(1.0, (2.0,), "f")


# -- grad mode per thread ------------------------------------------------------------------


def test_no_grad_in_one_thread_leaves_another_thread_training():
    inside, done = threading.Event(), threading.Event()
    seen = {}

    def evaluator():
        with no_grad():
            inside.set()
            done.wait(5)
            seen["eval"] = (Value(2.0) * 3)._prev

    thread = threading.Thread(target=evaluator)
    thread.start()
    assert inside.wait(5)
    x, w = Value(2.0), Value(-3.0)
    (x * w).backward()  # while the other thread is inside no_grad
    seen["train"] = (x.grad, w.grad, is_grad_enabled())
    done.set()
    thread.join(5)
    assert seen == {"eval": (), "train": (-3.0, 2.0, True)}


def test_interleaved_no_grad_in_two_threads_restores_both():
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    result = {}

    def a():
        with no_grad():
            a_in.set()
            b_in.wait(5)
        a_out.set()
        result["a"] = is_grad_enabled(), bool((Value(1.0) + 1)._prev)

    def b():
        a_in.wait(5)
        with no_grad():
            b_in.set()
            a_out.wait(5)  # a leaves no_grad while b is still inside
            result["b inside"] = is_grad_enabled()
        result["b"] = is_grad_enabled()

    threads = [threading.Thread(target=f) for f in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert result == {"a": (True, True), "b inside": False, "b": True}
    assert is_grad_enabled() and (Value(1.0) * 2)._prev


def test_no_grad_per_asyncio_task():
    async def evaluate(entered, release):
        with no_grad():
            entered.set()
            await release.wait()
            return (Value(1.0) * 2)._prev

    async def train(entered, release):
        await entered.wait()
        x = Value(4.0)
        (x * x).backward()
        release.set()
        return x.grad

    async def main():
        entered, release = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(evaluate(entered, release), train(entered, release))

    assert asyncio.run(main()) == [(), 8.0]


def test_shared_no_grad_instance_nests():
    off = no_grad()
    with off:
        with off:
            assert not is_grad_enabled()
        assert not is_grad_enabled()
    assert is_grad_enabled()
