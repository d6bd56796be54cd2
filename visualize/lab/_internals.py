"""Every name the lab takes from inside autograd and visualize, rather than from the public
``autograd``, ``nn`` and ``visualize`` packages, in one place: when a module moves, the fix is
here and nowhere else. From autograd it takes only its extension API (``autograd.extend``).

Nothing here imports numpy, nn or a web framework (the expression mode must run in Pyodide
and in a notebook kernel with only the engine).
"""

from autograd.extend import FormulaError, display_names, labels, parse_formula
from visualize.animate import MAX_PAGE_NODES, backward_page
from visualize.cli import evaluate as evaluate_formula
from visualize.graph import GraphTooLargeError, SlideSizeWarning
from visualize.render import compose as compose_svg
from visualize.style import GRAD_COLOURS, KINDS, node_kind, parse_label

formula_name, tex_name, data_input = labels.formula_name, labels.tex, labels.data_input

__all__ = ["FormulaError", "GRAD_COLOURS", "GraphTooLargeError", "KINDS", "MAX_PAGE_NODES",
           "backward_page", "data_input", "display_names", "evaluate_formula", "formula_name",
           "node_kind", "parse_formula", "parse_label", "tex_name", "SlideSizeWarning",
           "compose_svg"]
