"""Transforms of a graph: gradients as graphs of their own, Hessians (``higher``), and forward
mode with dual numbers (``forward``)."""
