"""``Module``: parameters by dotted name, zero_grad, state_dict and load_state_dict (as PyTorch)."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping

from autograd import Value
from autograd.extend import is_finite_number

__all__ = ["Module"]


class Module:
    """Base class of every network part.

    Parameters are found by walking the instance's attributes in definition order: a ``Value``
    attribute is a parameter, a ``Module`` attribute is a child, and a list or tuple of either is
    numbered (``layers.0.neurons.3.w.1``). Subclasses written for micrograd that only override
    ``parameters()`` keep working with ``zero_grad()``.
    """

    training: bool = True

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Value]]:
        """Yield ``(dotted name, parameter)`` pairs, each parameter once, in definition order.

        Args:
            prefix: prepended to every name (with a dot), as for a child module.

        Returns:
            An iterator of ``(name, Value)``.
        """
        seen = set()
        for path, module in _walk(self, prefix):
            for name, x in _members(module, path):
                if isinstance(x, Value) and id(x) not in seen:
                    seen.add(id(x))
                    yield name, x

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of ``named_parameters()``."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to 0 (``backward()`` accumulates into leaves)."""
        for p in self.parameters():
            p.grad = 0.0

    def train(self, mode: bool = True) -> Module:
        """Set training mode on this module and all children; returns ``self``."""
        for module in self.modules():
            module.training = bool(mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode (``train(False)``); returns ``self``."""
        return self.train(False)

    def modules(self) -> list[Module]:
        """This module and every module below it, parents first."""
        return [module for _, module in _walk(self, "")]

    def state_dict(self) -> dict[str, float]:
        """Every parameter's value by dotted name: a plain, JSON-serialisable dict of floats."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Copy values from ``state`` into the parameters, after checking all of them.

        Args:
            state: a mapping from every name of ``named_parameters()`` to a finite number.

        Raises:
            ValueError: a name is missing or unknown, or a value is not a finite number;
                nothing is assigned in that case.
        """
        if not isinstance(state, Mapping):
            raise ValueError(f"load_state_dict: expected a dict of floats, got "
                             f"{type(state).__name__}")
        state = dict(state.items())  # read once: a Mapping may answer differently twice
        named = dict(self.named_parameters())
        problems = []
        missing = [k for k in named if k not in state]
        extra = [k for k in state if k not in named]
        if missing:
            problems.append(f"missing {_names(missing)}")
        if extra:
            problems.append(f"unexpected {_names(extra)}")
        for key, v in state.items():
            if key in named and not _fits_a_float(v):
                problems.append(f"{key!r} must be a finite number, got {_short(v)}")
        if problems:
            raise ValueError(f"load_state_dict into {type(self).__name__}: " + "; ".join(problems))
        for key, p in named.items():
            p.data = float(state[key])

    def __call__(self, *args, **kwargs):
        """Run ``forward`` (PyTorch's convention); Neuron, Layer and MLP define __call__
        themselves, as micrograd's do."""
        forward = getattr(type(self), "forward", None)
        if forward is None:
            raise NotImplementedError(f"{type(self).__name__}: define forward(self, ...) (or "
                                      "__call__) to call this module")
        return forward(self, *args, **kwargs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def is_array(x) -> bool:
    """True for a numpy array. numpy is not imported for the question: an array exists only
    where numpy was imported, and the lab's static site runs the networks in Pyodide without
    numpy."""
    np = sys.modules.get("numpy")
    return np is not None and isinstance(x, np.ndarray)


def _fits_a_float(v) -> bool:
    """A finite int, float or numpy scalar whose value a float can hold (not 10**400)."""
    try:
        return is_finite_number(v)
    except OverflowError:
        return False


def _short(v) -> str:
    """A value for a message, at most 40 characters (a 400-digit int says how long it is)."""
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 10 ** 30:
        return f"an int of {len(str(abs(v)))} digits, too large for a float"
    return f"{type(v).__name__} {v!r:.40}"


def _members(module: Module, path: str) -> Iterator[tuple[str, object]]:
    """Public attributes by dotted name, list and tuple entries numbered, in definition order."""
    for name, item in vars(module).items():
        if name.startswith("_"):
            continue
        full = f"{path}.{name}" if path else name
        if isinstance(item, (list, tuple)):
            for i, x in enumerate(item):
                yield f"{full}.{i}", x
        else:
            yield full, item


def _walk(root: Module, prefix: str) -> Iterator[tuple[str, Module]]:
    """Every module under ``root`` (itself first), depth first, each once; explicit stack."""
    stack, seen = [(prefix, root)], {id(root)}
    while stack:
        path, module = stack.pop()
        yield path, module
        children = []
        for name, x in _members(module, path):
            if isinstance(x, Module) and id(x) not in seen:
                seen.add(id(x))
                children.append((name, x))
        stack.extend(reversed(children))


def _names(keys: list[str], shown: int = 5) -> str:
    more = f" and {len(keys) - shown} more" if len(keys) > shown else ""
    return ", ".join(repr(k) for k in keys[:shown]) + more
