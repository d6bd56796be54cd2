"""The live lab: one front-end (``static/``), several hosts, and the engine side they share.

``LabSession`` answers the page's requests in plain Python (JSON-able dicts in and out) and
imports no web framework, so the same class serves the local server
(``python -m visualize lab``, ``visualize.lab.server``), a notebook kernel and Pyodide.
"""

from visualize.lab.params import LabError
from visualize.lab.session import LIMITS, METHODS, PROTOCOL, LabSession

__all__ = ["LabSession", "LabError", "LIMITS", "METHODS", "PROTOCOL"]
