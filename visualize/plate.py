"""Plate view (stub)."""


def plate_boxes(topo, ctx):
    raise NotImplementedError
