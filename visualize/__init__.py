"""Pictures of what happens inside: graphs, network diagrams, backward animations."""
# ruff: noqa: E402  (the name-clash check runs before anything imports from autograd)

import autograd as _autograd

if not getattr(_autograd, "__backprop_lab__", False):   # another package's autograd came first
    import runpy

    runpy.run_path(f"{__path__[0]}/../autograd/_clash.py")["refuse_foreign"](
        _autograd, __name__, __file__)


from visualize.animate import animate_backward
from visualize.graph import draw_dot
from visualize.network import draw_mlp
from visualize.render import GraphvizNotFoundError, render, to_svg

__all__ = ["draw_dot", "draw_mlp", "animate_backward", "render", "to_svg", "GraphvizNotFoundError"]


def __getattr__(name: str):
    """``Lab``, the notebook widget, loads on first use: it needs the extra ``notebook``, and the
    lab is a layer above the pictures (it imports ``visualize``; ``visualize`` only names it,
    once it is fully imported, so no import cycle can form)."""
    if name == "Lab":
        import importlib

        try:
            Lab = importlib.import_module("visualize.lab.widget").Lab
        except ImportError as e:
            if e.name not in ("anywidget", "ipywidgets", "traitlets"):
                raise
            raise ImportError(
                f"visualize.Lab needs the extra 'notebook' (missing {e.name}): "
                "pip install 'backprop-lab[notebook]', or pip install -e '.[notebook]' in a "
                "clone") from None
        return Lab
    raise AttributeError(f"module 'visualize' has no attribute {name!r}")
