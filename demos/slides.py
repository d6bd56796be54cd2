"""Pictures at the sizes people teach: text on a 1600 x 900 slide, and layout time.

    .venv/bin/python -m demos.slides              # the two tables (about a minute)
    .venv/bin/python -m demos.slides --out out    # and every picture, to look at

For each graph people teach with, in the view docs/pictures.md documents for it: the height in
px of its smallest text once the picture (legend included) is fitted into a 1600 x 900 slide
(``visualize.svg_metrics.slide_text_px``: font size x scale), and how long the WebAssembly
Graphviz takes to lay it out. Then the largest graphs draw_dot draws without raising its
``max_nodes`` limit (500 values), value by value: their layout time. It never fails on
time: it reports (tests/test_visualize_sizes.py holds the text sizes).
"""

from __future__ import annotations

import argparse
import pathlib
import random
import re
import time
import warnings

from autograd import Value, no_grad
from nn import MLP, make_moons, make_seed_regression
from visualize import draw_dot, draw_mlp
from visualize.graph import SlideSizeWarning
from visualize.render import compose, finish_svg
from visualize.svg_metrics import slide_text_px, svg_size


def seed_loss() -> Value:
    """The seed lesson's sample through its 3-4-1 sigmoid network, L = ½(ŷ - y)², backward."""
    from demos.seed_network import forward
    X, y = make_seed_regression(1000, seed=0)
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    with no_grad():
        i = max(range(len(X)), key=lambda i: abs(model(list(X[i])).data - y[i]))
    _, loss = forward(model, X[i], float(y[i]))
    loss.backward()
    return loss


def micrograd_loss(n: int, l2: bool = True) -> tuple[Value, list[Value]]:
    """micrograd's demo loss as its notebook writes it: hinge per sample, mean, 1e-4 L2."""
    X, y = make_moons(n_samples=max(n, 2), noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], seed=1337)
    scores = [model(list(map(Value, row))) for row in X[:n]]
    losses = [(1 + -yi * si).relu() for yi, si in zip(2 * y[:n] - 1, scores)]
    loss = sum(losses) * (1.0 / len(losses))
    if l2:
        loss = loss + 1e-4 * sum(p * p for p in model.parameters())
    loss.backward()
    return loss, scores


def tanh_neuron() -> Value:
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o


def lecture() -> Value:
    """The lecture's L = (a*b + c)*f."""
    a, b, c, f = (Value(v, label=n) for v, n in ((2.0, "a"), (-3.0, "b"), (10.0, "c"),
                                                  (-2.0, "f")))
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    L.backward()
    return L


VIEWS = {   # graph -> (its documented view, as docs/pictures.md writes it; the drawing)
    "tanh neuron": ("draw_dot(y)", lambda: draw_dot(tanh_neuron())),
    "the lecture's L = (a*b + c)*f": ("draw_dot(L)", lambda: draw_dot(lecture())),
    "3-4-1 loss, one sample": ('draw_dot(L, collapse="neuron")',
                               lambda: draw_dot(seed_loss(), collapse="neuron")),
    "draw_mlp 3-4-1": ("draw_mlp(model)", lambda: draw_mlp(MLP(3, [4, 1], seed=0))),
    "2-16-16-1 loss, one sample": ('draw_dot(loss, collapse="layer")',
                                   lambda: draw_dot(micrograd_loss(1)[0], collapse="layer")),
    "micrograd's demo loss, 100 samples": (
        'draw_dot(loss, collapse="plate")',
        lambda: draw_dot(micrograd_loss(100)[0], collapse="plate")),
    "draw_mlp 2-16-16-1": ("draw_mlp(model)", lambda: draw_mlp(MLP(2, [16, 16, 1], seed=1337))),
}
OTHER_VIEWS = {   # not for slides: how small they are
    "3-4-1 loss, value by value": ("draw_dot(L)", lambda: draw_dot(seed_loss())),
    "2-16-16-1 loss, one sample, by neuron": (
        'draw_dot(loss, collapse="neuron")',
        lambda: draw_dot(micrograd_loss(1)[0], collapse="neuron")),
}


def _chain(n: int) -> Value:
    y = Value(0.5, label="x")
    for _ in range(n - 1):
        y = y.tanh()
    return y


def _sum(n: int) -> Value:
    xs = [Value(float(i), label=f"v{i}") for i in range(n // 2)]
    return sum(xs[1:], xs[0])


def _dag(n: int, seed: int = 2, window: int = 250) -> Value:
    """A random graph of n sums and products of recent values (the ones nothing else uses
    summed at the end, so every value is drawn): edges cross everywhere."""
    rng = random.Random(seed)
    vs = [Value(rng.uniform(-1, 1), label=f"p{i}") for i in range(20)]
    used: set[int] = set()
    while len(vs) + (len(vs) - len(used)) < n:   # the values, and the sum of the unused
        a, b = rng.sample(vs[-window:], 2)
        used.update((id(a), id(b)))
        vs.append(a * b if rng.random() < 0.5 else a + b)
    unused = [v for v in vs if id(v) not in used]
    return sum(unused[1:], unused[0])


def _horner(n: int) -> Value:
    """y = y*x + 1, n/3 times: x is used in every step, its edges cross the whole picture."""
    x = Value(0.9, label="x")
    y = x
    for _ in range(n // 3):
        y = y * x + 1.0
    return y


def _mlp(n: int) -> Value:
    model = MLP(2, [16, 16, 1], seed=1337)
    return (model([Value(0.3), Value(-0.4)]) - 1.0) ** 2


BIG = {   # the largest graphs draw_dot draws by default (max_nodes=500), value by value
    "a chain of 500 tanh": lambda: _chain(500),
    "a sum of 250 values (499 in all)": lambda: _sum(500),
    "a random graph of 500 sums and products": lambda: _dag(500),
    "x used in each of 166 steps: y = y*x + 1": lambda: _horner(500),
    "MLP(2, [16, 16, 1]) on one sample": lambda: _mlp(500),
}


def webassembly_svg(g) -> tuple[str, float]:
    """The picture as render draws it, laid out by the WebAssembly Graphviz, and the seconds
    the layout took (picture and legend)."""
    from visualize import wasm
    start = time.perf_counter()
    svg = wasm.render_svg(g.source).decode()
    if g.legend_source:
        svg = compose(svg, wasm.render_svg(g.legend_source).decode())
    return finish_svg(svg), time.perf_counter() - start


def _views(out: pathlib.Path | None) -> None:
    print(f"{'graph':<38} {'view':<34} {'text on slide':>13} {'layout':>8}")
    for name, (view, make) in {**VIEWS, **OTHER_VIEWS}.items():
        svg, seconds = webassembly_svg(make())
        print(f"{name:<38} {view:<34} {slide_text_px(svg):>10.1f} px {seconds:>7.2f}s")
        _save(out, name, svg)


def _big(out: pathlib.Path | None) -> None:
    print(f"\n{'largest graphs under max_nodes=500':<44} {'boxes':>5} {'picture (pt)':>14} "
          f"{'layout':>8}")
    for name, make in BIG.items():
        root = make()
        root.backward()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SlideSizeWarning)   # not for slides: for time
            g = draw_dot(root)
        svg, seconds = webassembly_svg(g)
        width, height = svg_size(svg)
        boxes = len(re.findall(r"^\s*n\d+ \[label=", g.source, re.M))
        print(f"{name:<44} {boxes:>5} {width:>6.0f} x {height:<6.0f} "
              f"{seconds:>7.2f}s")
        _save(out, name, svg)


def _save(out: pathlib.Path | None, name: str, svg: str) -> None:
    if out is not None:
        stem = "".join(c if c.isalnum() else "_" for c in name).strip("_")
        (out / f"{stem}.svg").write_text(svg, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, help="also write every picture here")
    args = parser.parse_args(argv)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
    print("text: its smallest, in px, once the picture is fitted into 1600 x 900; layout: "
          "seconds taken by the WebAssembly Graphviz\n")
    _views(args.out)
    _big(args.out)


if __name__ == "__main__":
    main()
