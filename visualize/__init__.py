"""Pictures of what happens inside: graphs, network diagrams, backward animations."""

from visualize.graph import draw_dot
from visualize.render import GraphvizNotFoundError, render, to_svg

__all__ = ["draw_dot", "render", "to_svg", "GraphvizNotFoundError"]
