"""Checks on top of the engine: ``gradcheck`` (finite differences), the formula parser
(``formula``), SymPy forms (``symbolic``), forward replay (``replay``), and
``check_derivative`` (``check``, with ``diagnose`` naming the slip in a wrong derivation)."""
