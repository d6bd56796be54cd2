"""Measure a Graphviz SVG as a reader sees it: text size on a page of a given width, overlaps.

Used by the tests and by anyone checking that a picture is legible: ``smallest_text_px(svg,
1400)`` is the height in pixels of the smallest text once the picture is fit to a 1400-px-wide
page; ``overlapping_texts(svg)`` lists pairs of texts whose boxes intersect.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

__all__ = ["Text", "svg_size", "texts", "smallest_text_px", "slide_text_px", "overlapping_texts"]

# Helvetica advance widths in em (from its font metrics), for the characters pictures use.
_WIDTHS = {**dict.fromkeys("0123456789_$", 0.556), **dict.fromkeys(" .,:;!|[]/\\", 0.278),
           **dict.fromkeys("ijl", 0.222), **dict.fromkeys("ftI", 0.278), "r": 0.333,
           "-": 0.333, "(": 0.333, ")": 0.333, "{": 0.334, "}": 0.334, "m": 0.833, "w": 0.722,
           "W": 0.944, "M": 0.833, "*": 0.389, "+": 0.584, "=": 0.584, "<": 0.584,
           ">": 0.584, "'": 0.191, '"': 0.355, "x": 0.5, "z": 0.5, "y": 0.5, "k": 0.5,
           "v": 0.5, "s": 0.5, "c": 0.5, "J": 0.5}
_PT_TO_PX = 4 / 3


class Text(NamedTuple):
    """One text of the picture: its box (in SVG points, y down) and font size (points)."""

    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    text: str


def svg_size(svg: str) -> tuple[float, float]:
    """(width, height) of the picture in points."""
    m = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    if not m:
        raise ValueError("svg_size: no <svg width=...pt height=...pt> found")
    return float(m.group(1)), float(m.group(2))


def _width(text: str, size: float) -> float:
    return size * sum(_WIDTHS.get(c, 0.667 if c.isupper() else 0.556) for c in text)


_GRAPH = re.compile(r'class="graph" transform="scale\(([-\d.]+) [-\d.]+\) rotate\(0\) '
                    r'translate\(([-\d.]+) ([-\d.]+)\)"')
_LEGEND = re.compile(r'<g id="legend" transform="translate\(([-\d.]+) ([-\d.]+)\)">')


def _offsets(svg: str) -> list[tuple[int, float, float]]:
    """(position in the text, dx, dy) from which texts are shifted into the picture's frame:
    each Graphviz graph's own translation, plus the legend's place in a composed picture."""
    legend = _LEGEND.search(svg)
    out = [(0, 0.0, 0.0)]
    for m in _GRAPH.finditer(svg):
        dx, dy = float(m.group(2)), float(m.group(3))
        if legend and m.start() > legend.start():
            dx, dy = dx + float(legend.group(1)), dy + float(legend.group(2))
        out.append((m.start(), dx, dy))
    return out


def texts(svg: str) -> list[Text]:
    """Every <text> of the SVG with its estimated box (Helvetica widths), in points from the
    picture's top left corner."""
    out = []
    offsets = _offsets(svg)
    for m in re.finditer(r"<text ([^>]*)>(.*?)</text>", svg, re.S):
        attrs, body = m.groups()
        _, dx, dy = [o for o in offsets if o[0] < m.start()][-1]
        get = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        x, y = float(get["x"]) + dx, float(get["y"]) + dy
        size = float(get.get("font-size", "14"))
        text = html.unescape(re.sub(r"<[^>]+>", "", body))
        w = _width(text, size)
        anchor = get.get("text-anchor", "start")
        x0 = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
        out.append(Text(x0, y - 0.75 * size, x0 + w, y + 0.22 * size, size, text))
    return out


def smallest_text_px(svg: str, page_width_px: float = 1400.0,
                     page_height_px: float | None = None) -> float:
    """Height in px of the smallest font once the picture is shrunk to fit the page (its
    width, and its height too when given: a 16:9 slide is 1400 × 788)."""
    width, height = svg_size(svg)
    scale = min(1.0, page_width_px / (width * _PT_TO_PX))
    if page_height_px is not None:
        scale = min(scale, page_height_px / (height * _PT_TO_PX))
    return min(t.size for t in texts(svg)) * _PT_TO_PX * scale


def overlapping_texts(svg: str, slack: float = 0.5) -> list[tuple[Text, Text]]:
    """Pairs of texts whose boxes (shrunk by ``slack`` points each side) intersect."""
    items = sorted(texts(svg), key=lambda t: t.x0)
    pairs = []
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if b.x0 + slack >= a.x1 - slack:
                break
            if a.y0 + slack < b.y1 - slack and b.y0 + slack < a.y1 - slack:
                pairs.append((a, b))
    return pairs


def slide_text_px(svg: str, width_px: float = 1600.0, height_px: float = 900.0) -> float:
    """Height in px of the smallest text once the picture is fitted into a slide of
    ``width_px`` × ``height_px`` (scaled up or down to fill it, as a slide editor does)."""
    width, height = svg_size(svg)
    scale = min(width_px / (width * _PT_TO_PX), height_px / (height * _PT_TO_PX))
    return min(t.size for t in texts(svg)) * _PT_TO_PX * scale
