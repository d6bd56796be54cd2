"""The one place where nn's checkers import from autograd's modules rather than its package.

``autograd`` is being rearranged into layers; when the formula parser moves, only this file
changes.
"""

from autograd.formula import _REFUSED as REFUSED
from autograd.formula import MAX_DEPTH, MAX_LENGTH, FormulaError

__all__ = ["FormulaError", "MAX_LENGTH", "MAX_DEPTH", "REFUSED"]
