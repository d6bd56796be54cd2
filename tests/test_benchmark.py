"""The benchmark's quick mode keeps working (it reports figures; it never fails on time)."""

import gc
import re

import pytest

from autograd import Value
from demos import benchmark


def test_quick_benchmark_reports_every_figure(capsys):
    pytest.importorskip("micrograd")
    gc.freeze()   # the benchmark collects garbage between runs: not the whole suite's objects
    try:
        benchmark.main(["--quick"])
    finally:
        gc.unfreeze()
    out = capsys.readouterr().out
    for name in ("training step", "forward per op", "backward per node", "memory per node",
                 "deepest chain backward", "VectorizedMLP step"):
        row = next((line for line in out.splitlines() if line.startswith(name)), None)
        assert row is not None, f"no row for {name!r} in:\n{out}"
    assert re.search(r"deepest chain backward\s+\d+\s+100,000 nodes", out)
    difference = float(re.search(r"largest gradient difference (\S+)\)", out).group(1))
    assert difference < 1e-9


def test_deepest_chain_stops_at_the_first_failure():
    class Recursive:
        """An engine whose backward recurses, like micrograd's: deep chains overflow the stack."""

        def __init__(self, data, prev=None):
            self.data, self.prev, self.grad = data, prev, 0.0

        def __add__(self, other):
            return Recursive(self.data + other, self)

        def backward(self, grad=1.0):
            self.grad += grad
            if self.prev is not None:
                self.prev.backward(grad)

    assert benchmark.deepest_chain(Recursive, [10, 100, 10**4, 10]) == 100   # limit: 1000


def test_hot_paths_run_what_they_name(monkeypatch):
    """demos.hotpaths runs each path: the step and backward call backward once per run."""
    from demos import hotpaths

    calls = []
    monkeypatch.setattr("autograd.Value.backward",
                        lambda self, *a, _b=Value.backward: calls.append(self) or _b(self, *a))
    try:
        for path in ("step", "backward-1000", "forward-1000"):
            hotpaths.main([path, "--repeat", "2"])
    finally:
        gc.enable()
    assert len(calls) == 6   # 3 runs (the warm one and 2) of step and of backward-1000


def test_hot_paths_name_a_path_they_do_not_know(capsys):
    from demos import hotpaths

    for argv in (["nope"], [], ["--count", "nope"]):
        with pytest.raises(SystemExit):
            hotpaths.main(argv)
    assert "the paths are step, forward-1000" in capsys.readouterr().err
