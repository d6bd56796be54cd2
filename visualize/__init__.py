"""Pictures of what happens inside: graphs, network diagrams, backward animations."""

from visualize.animate import animate_backward
from visualize.graph import draw_dot
from visualize.network import draw_mlp
from visualize.render import GraphvizNotFoundError, render, to_svg

__all__ = ["draw_dot", "draw_mlp", "animate_backward", "render", "to_svg", "GraphvizNotFoundError"]
