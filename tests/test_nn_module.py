"""Module: dotted names, zero_grad, state_dict / load_state_dict, train/eval, repr."""

import json
import math

import pytest

from autograd import Value
from nn import MLP, Layer, Module, Neuron


def test_named_parameters_use_dotted_paths_in_order():
    model = MLP(2, [4, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                         "layers.0.neurons.0.b"]
    assert "layers.0.neurons.3.w.1" in names and names[-1] == "layers.1.neurons.0.b"
    assert len(names) == len(set(names)) == 4 * 3 + 5
    assert [p for _, p in model.named_parameters()] == model.parameters()
    named = dict(model.named_parameters())
    assert named["layers.0.neurons.3.w.1"] is model.layers[0].neurons[3].w[1]
    assert [n for n, _ in Neuron(2).named_parameters(prefix="cell")] == ["cell.w.0", "cell.w.1",
                                                                         "cell.b"]


def test_custom_modules_compose_and_shared_parameters_count_once():
    class TwoHeads(Module):
        def __init__(self):
            self.body = Layer(2, 3, seed=0)
            self.heads = [Neuron(3, "linear", seed=1), Neuron(3, "linear", seed=2)]
            self.scale = Value(2.0)
            self._cache = Value(9.0)  # private: not a parameter
            self.again = self.scale

    m = TwoHeads()
    names = [n for n, _ in m.named_parameters()]
    assert names[0] == "scale" and "body.neurons.2.b" in names and "heads.1.w.2" in names
    assert "again" not in names and not any(n.startswith("_") for n in names)
    assert len(m.parameters()) == 3 * 3 + 2 * 4 + 1
    assert len(m.modules()) == 1 + 1 + 3 + 2


def test_zero_grad_on_a_micrograd_style_subclass():
    class Old(Module):
        def __init__(self):
            self.a, self.b = Value(1.0), Value(2.0)

        def parameters(self):
            return [self.a]

    m = Old()
    m.a.grad = m.b.grad = 5.0
    m.zero_grad()
    assert m.a.grad == 0.0 and m.b.grad == 5.0


def test_zero_grad_resets_every_parameter_after_backward():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    model([1.0, 2.0]).backward()
    assert any(p.grad for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_state_dict_json_round_trip():
    model = MLP(3, [4, 2], activation="tanh", seed=0)
    state = model.state_dict()
    assert all(type(v) is float for v in state.values())
    text = json.dumps(state)
    other = MLP(3, [4, 2], activation="tanh", seed=99)
    assert other.state_dict() != state
    other.load_state_dict(json.loads(text))
    assert other.state_dict() == state
    x = [0.2, -0.4, 0.9]
    assert [o.data for o in other(x)] == [o.data for o in model(x)]


@pytest.mark.parametrize("change, message", [
    (lambda s: s.pop("layers.1.neurons.0.b"), "missing 'layers.1.neurons.0.b'"),
    (lambda s: s.update({"layers.2.neurons.0.b": 0.0}), "unexpected 'layers.2.neurons.0.b'"),
    (lambda s: s.update({"layers.0.neurons.0.w.1": "0.5"}), "'layers.0.neurons.0.w.1' must be"),
    (lambda s: s.update({"layers.0.neurons.0.w.1": [0.5, 0.1]}), "must be a finite number"),
    (lambda s: s.update({"layers.0.neurons.0.b": True}), "'layers.0.neurons.0.b' must be"),
    (lambda s: s.update({"layers.0.neurons.0.b": math.nan}), "must be a finite number"),
])
def test_load_state_dict_refuses_bad_entries_and_loads_nothing(change, message):
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    state = {k: v + 1.0 for k, v in before.items()}
    change(state)
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_load_state_dict_lists_several_problems_and_refuses_non_mappings():
    model = MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="missing .* and 8 more"):
        model.load_state_dict({})
    with pytest.raises(ValueError, match="expected a dict"):
        model.load_state_dict([1.0, 2.0])


def test_train_and_eval_return_self_and_set_the_flag_everywhere():
    model = MLP(2, [3, 1], seed=0)
    assert model.training
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    assert model.train() is model
    assert all(m.training for m in model.modules())


def test_repr_is_readable_and_unknown_attributes_raise():
    assert repr(MLP(2, [16, 16, 1])) == ("MLP(2 -> 16 relu -> 16 relu -> 1 linear; "
                                        "337 parameters)")
    assert repr(Layer(3, 4, "tanh")) == "Layer(3, 4, 'tanh')"
    assert repr(Neuron(2, "sigmoid")) == "Neuron(2, 'sigmoid')"
    with pytest.raises(AttributeError):
        MLP(2, [1]).weights  # noqa: B018
