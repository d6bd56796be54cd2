"""Neural networks on the scalar autograd engine."""
