"""The higher_order lesson runs quickly and says what it promises; its network function is the
seed network's loss."""

import re

import pytest

from autograd import Value, grad, hessian, jvp
from nn import MLP, mse_loss
from visualize.render import svg_backend

pytest.importorskip("matplotlib")

from demos import higher_order  # noqa: E402  (needs matplotlib)

PNG = b"\x89PNG\r\n\x1a\n"


def test_lesson_writes_its_files_and_its_checks_agree(run_lesson):
    tmp_path, out, _ = run_lesson("higher_order")
    for name in ("newton_vs_descent.png", "forward_vs_reverse.png"):
        assert (tmp_path / name).read_bytes().startswith(PNG)
        assert f"wrote {tmp_path / name}" in out
    if svg_backend() is None:   # Python 3.10 without system Graphviz: said, not drawn
        assert "not drawn: render: SVG needs Graphviz" in out and "apt-get install graphviz" in out
    else:
        svg = (tmp_path / "sigmoid_second_derivative.svg").read_text(encoding="utf-8")
        assert "<svg" in svg[:500] and svg.rstrip().endswith("</svg>") and "sigmoid" in svg
    table = re.findall(r"^\s+-?\d\S*\s+(\S+)\s+(\S+)\s+(\S+)$", out, flags=re.M)
    assert len(table) == 5  # σ'' at five points: by hand, grad of grad, differences
    for row in table:
        by_hand, twice, numeric = map(float, row)
        assert twice == pytest.approx(by_hand, abs=1e-12)
        assert numeric == pytest.approx(by_hand, abs=1e-8)
    assert "gradgradcheck PASSED" in out
    newton = int(re.search(r"Newton: f < 1e-6 at step (\d+)", out).group(1))
    assert newton < 10
    assert "21 passes" in out
    forward, reverse = (int(n) for n in re.search(
        r"forward mode: 21 passes .*?, (\d+) ops.*\n.*= (\d+) ops", out).groups())
    assert forward == 21 * reverse // 2  # 21 passes of N ops against N forward + N backward
    assert float(re.search(r"differ by at most (\S+)", out).group(1)) < 1e-12


def test_network_loss_is_the_seed_networks_loss_in_both_modes():
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=1)
    x, y = [0.2, -0.7, 0.9], 0.3
    f = higher_order.network_loss(model, x, y)
    params = model.parameters()
    theta = [p.data for p in params]
    assert len(theta) == 21
    loss = mse_loss(model(x), y, half=True)
    assert f(*map(Value, theta)).data == loss.data
    loss.backward()
    leaves = [Value(t) for t in theta]
    reverse = [g.data for g in grad(f(*leaves), leaves)]
    assert reverse == pytest.approx([p.grad for p in params], rel=1e-12, abs=1e-18)
    tangent = [((i * 7) % 5 - 2) / 3 for i in range(21)]
    value, derivative = jvp(f, theta, tangent)
    assert value == loss.data
    assert derivative == pytest.approx(sum(g * t for g, t in zip(reverse, tangent)), rel=1e-12)
    # its Hessian equals the one built on the MLP's own graph (linear nodes)
    h = hessian(f, theta)
    first = grad(mse_loss(model(x), y, half=True), params, create_graph=True)
    for i in (0, 7, 16, 20):
        row = [d.data for d in grad(first[i], params)]
        assert row == pytest.approx(h[i], rel=1e-9, abs=1e-15)
