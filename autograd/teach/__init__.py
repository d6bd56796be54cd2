"""Teaching tools on top of the engine: ``explain`` (every path of the chain rule, as the
reference text derives it) and ``backward_steps`` (backward one edge at a time)."""
