"""What ``nn``, ``visualize`` and your own packages build on: autograd's extension API.

Beyond the public names of ``autograd`` (its ``__all__``), another package uses only what
this module exports; ``tests/test_layers.py`` checks that ``nn`` and ``visualize`` import
nothing else from ``autograd``.

- Ops: ``Op`` (a row of the table of ops), ``register`` (add a row), ``apply_op`` (a node of
  a row), ``make_node`` (the node factory), ``OPS`` (the table), ``stable_sigmoid``.
- Questions about a value: ``is_constant`` (a number an op lifted into the graph),
  ``is_finite_number``.
- Names: ``labels`` (the format of W[l]_jk, z[l]_k, a[l]_k, x_j; written and parsed there),
  ``display_names`` (the names every tool shows for unlabelled values).
- Formulas typed by a person (the command line): ``parse_formula``, ``fold``,
  ``FormulaError``, ``FUNCTIONS``, ``ARITHMETIC``, ``ALLOWED``.
- Messages in the reader's language (``autograd.i18n``): ``tr`` (a sentence, translated, its
  ``{named}`` placeholders filled), ``trn`` (singular or plural), ``N_`` (marked now,
  translated later), ``using_language`` (a ``with`` block), ``languages`` (those there are).
"""

from autograd import labels
from autograd.checks.formula import (
    ALLOWED,
    ARITHMETIC,
    FUNCTIONS,
    FormulaError,
    fold,
    parse_formula,
)
from autograd.core import OPS, Op, apply_op, is_constant, is_finite_number, make_node, register
from autograd.core.ops import stable_sigmoid
from autograd.i18n import N_, languages, tr, trn, using_language
from autograd.names import display_names

__all__ = ["Op", "OPS", "register", "apply_op", "make_node", "stable_sigmoid", "is_constant",
           "is_finite_number", "labels", "display_names", "parse_formula", "fold",
           "FormulaError", "FUNCTIONS", "ARITHMETIC", "ALLOWED", "tr", "trn", "N_",
           "using_language", "languages"]
