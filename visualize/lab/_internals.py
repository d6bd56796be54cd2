"""Every name the lab takes from inside autograd and visualize, rather than from their public
``__init__``, in one place: when a module moves, the fix is here and nowhere else.

Nothing here imports numpy, nn or a web framework (the expression mode must run in Pyodide
and in a notebook kernel with only the engine).
"""

from autograd.diagnose import factor_text
from autograd.explain import _tex_name as tex_name
from autograd.formula import ARITHMETIC, FUNCTIONS, MAX_LENGTH, FormulaError, fold, parse_formula
from autograd.names import display_names
from autograd.symbolic import Builder, formula_name, to_latex
from visualize.animate import MAX_PAGE_NODES, backward_page
from visualize.cli import evaluate as evaluate_formula
from visualize.graph import GraphTooLargeError
from visualize.style import GRAD_COLOURS, KINDS, node_kind, parse_label

__all__ = ["ARITHMETIC", "Builder", "FUNCTIONS", "FormulaError", "GRAD_COLOURS",
           "GraphTooLargeError", "KINDS",
           "MAX_LENGTH", "MAX_PAGE_NODES", "backward_page", "display_names",
           "evaluate_formula", "factor_text", "fold", "formula_name", "node_kind",
           "parse_formula", "parse_label", "tex_name", "to_latex"]
