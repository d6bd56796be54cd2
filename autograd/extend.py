"""What ``nn``, ``visualize`` and your own packages build on: autograd's extension API.

Beyond the public names of ``autograd`` (its ``__all__``), another package uses only what
this module exports; ``tests/test_layers.py`` checks that ``nn`` and ``visualize`` import
nothing else from ``autograd``.

- Ops: ``define_op`` (a new op in one definition: docs/adding-an-op.md), ``remove_op``,
  ``Op`` (a row of the table of ops), ``register`` (add a row made as an ``Op``),
  ``apply_op`` (a node of a row), ``make_node`` (the node factory), ``OPS`` (the table),
  ``stable_sigmoid``.
- The chain rule: ``ChainRule`` (the one sweep, step by step; ``Step``).
- Questions about a value: ``is_constant`` (a number an op lifted into the graph),
  ``is_dead`` (its op passes no gradient there, as a dead ReLU), ``is_finite_number``.
- Names: ``labels`` (the format of W[l]_jk, z[l]_k, a[l]_k, x_j; written and parsed there),
  ``display_names`` (the names every tool shows for unlabelled values).
- Formulas typed by a person (the command line): ``parse_formula``, ``fold``,
  ``FormulaError``, ``FUNCTIONS`` (a live view of the table), ``ARITHMETIC``, ``allowed()``.
- Messages in the reader's language (``autograd.i18n``): ``tr`` (a sentence, translated, its
  ``{named}`` placeholders filled), ``trn`` (singular or plural), ``N_`` (marked now,
  translated later), ``using_language`` (a ``with`` block), ``languages`` (those there are),
  ``lookup`` (a message translated, its placeholders left unfilled) and ``catalog`` (every
  translation of a language as a dict, for a page that fills the placeholders itself);
  ``listed`` (a list of names with the language's separator), ``sentences`` (whole
  sentences one after the other, as the language writes them), ``table`` (aligned columns,
  Chinese characters counted two wide, as a terminal shows them), ``width``; ``language``
  (the one in use) and ``in_own_language`` (a report's text in the language it was made in);
  ``wrap`` and ``HelpFormatter`` (argparse's help, wrapped as Chinese is written).
"""

from autograd import labels
from autograd.chain import ChainRule, Step, is_dead
from autograd.checks.formula import (
    ARITHMETIC,
    FUNCTIONS,
    FormulaError,
    allowed,
    fold,
    parse_formula,
)
from autograd.core import (
    OPS,
    Op,
    apply_op,
    define_op,
    is_constant,
    is_finite_number,
    make_node,
    register,
    remove_op,
)
from autograd.core.ops import stable_sigmoid
from autograd.i18n import (
    N_,
    HelpFormatter,
    catalog,
    in_own_language,
    language,
    languages,
    listed,
    lookup,
    sentences,
    table,
    tr,
    trn,
    using_language,
    width,
    wrap,
)
from autograd.names import display_names

__all__ = ["define_op", "remove_op", "Op", "OPS", "register", "apply_op", "make_node",
           "ChainRule", "Step", "stable_sigmoid", "is_constant", "is_dead", "is_finite_number",
           "labels", "display_names", "parse_formula", "fold", "FormulaError", "FUNCTIONS",
           "ARITHMETIC", "allowed", "tr", "trn", "N_", "using_language", "languages", "lookup",
           "catalog", "listed", "table", "width", "language", "in_own_language", "wrap",
           "HelpFormatter", "sentences"]
