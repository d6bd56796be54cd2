"""LabSession: the lab's engine side, in plain Python: JSON-able requests in, JSON-able out.

Every host drives the same class: the local server (``visualize.lab.server``) over HTTP, and
later a notebook widget and a static site running it in Pyodide. A request is
``{"method": "expression.set", "params": {...}}``; the answer is ``{"ok": true, "result":
{...}}`` or ``{"ok": false, "error": {"id", "params", "text"}}``, where ``id`` is a message of
the page's catalog (``visualize.lab.messages``). ``handle`` never raises: whatever the input,
the session answers and keeps working. See docs/lab.md for every method.

Only expression mode is imported up front; network and train mode (which need numpy, through
nn) are imported the first time they are used.
"""

from __future__ import annotations

import json
import logging
import traceback
import typing

from autograd.extend import using_language
from visualize.lab import _internals as eng
from visualize.lab import expression
from visualize.lab.graphview import EXPLAIN_PATHS, GRAPH_LIMIT, VIEWS, GraphView
from visualize.lab.messages import catalog, choose_language, page_languages
from visualize.lab.params import LabError, Params

if typing.TYPE_CHECKING:
    from visualize.lab.exercises import Exercises

__all__ = ["LabSession", "LabError", "LIMITS", "PROTOCOL", "METHODS"]

PROTOCOL = 1
LIMITS = {
    "request_bytes": 1_000_000,         # a request's body, checked by a host before parsing
    "formula_chars": expression.MAX_CHARS,   # checked before parsing
    "names": expression.MAX_NAMES,
    "graph_values": GRAPH_LIMIT,
    "explain_paths": EXPLAIN_PATHS,
    "step_values": eng.MAX_PAGE_NODES,
    "csv_chars": 200_000,
    "csv_rows": 5_000,
    "csv_columns": 9,                   # up to 8 inputs and the target
    "inputs": 8,
    "layer_size": 16,
    "hidden_layers": 3,
    "steps_per_call": 200,
    "step_seconds": 1.0,                # one train.step request trains at most this long
}
_log = logging.getLogger("visualize.lab")


class LabSession:
    """One page's state: the graph of each mode, the network, the training run.

    Use :meth:`handle` (a request dict in, a response dict out, never raises) or
    :meth:`call` (method name and params in, the result out, raises :class:`LabError`).

    Args:
        language: the host's language for the page ("zh", "en"; None: the page's browser
            decides). The page's ``lab.init`` may ask for another; every answer after it is in
            the language chosen then (messages, explanations, verdicts).
    """

    def __init__(self, language: str | None = None):
        self.default_language = language
        self.language = choose_language(language)
        self.graphs: dict[str, GraphView] = {}   # mode -> the picture the page shows
        self.titles: dict[str, str] = {}
        self.network = None                       # visualize.lab.network.NetworkState
        self.training = None                      # visualize.lab.train.Training
        self.exercises = None                     # visualize.lab.exercises.Exercises

    def handle(self, request) -> dict:
        """Answer one request (a dict, or its JSON text), in the page's language; never
        raises."""
        with using_language(self.language):
            return self._handle(request)

    def _handle(self, request) -> dict:
        try:
            if isinstance(request, (str, bytes)):
                request = parse_json(request)
            if not isinstance(request, dict) or not isinstance(request.get("method"), str):
                raise LabError("bad_request", message="expected {\"method\": ..., \"params\": ...}")
            return {"ok": True, "result": self.call(request["method"], request.get("params"))}
        except LabError as e:
            return {"ok": False, "error": e.to_json()}
        except (ValueError, ArithmeticError, TypeError) as e:   # the engine's clear errors
            return {"ok": False, "error": LabError("engine_error", message=_one_line(e)).to_json()}
        except Exception as e:   # a bug: still an answer, and the session keeps working
            _log.error("lab: internal error\n%s", traceback.format_exc())
            return {"ok": False, "error": LabError("internal_error", kind=type(e).__name__,
                                                   message=_one_line(e)).to_json()}

    def call(self, method: str, params=None) -> dict:
        """Run one method (see METHODS) and return its result."""
        name = METHODS.get(method)
        if name is None:
            raise LabError("unknown_method", method=str(method)[:60])
        return getattr(self, name)(Params(params))

    # -- methods -------------------------------------------------------------------------------

    def _init(self, p: Params) -> dict:
        """The page's first request (and its language switch): ``language`` is the page's
        wish (its link's ``?lang=``, its switch), ``accept`` the browser's languages."""
        accept = p.raw.get("accept")
        accept = [a for a in accept[:20] if isinstance(a, str)] if isinstance(accept, list) else []
        self.language = choose_language(p.raw.get("language"), self.default_language, *accept)
        return {"protocol": PROTOCOL, "catalog": catalog(self.language),
                "language": self.language, "languages": page_languages(),
                "limits": LIMITS, "views": list(VIEWS),
                "palette": [[bound, colour] for bound, colour, _ in eng.GRAD_COLOURS],
                "kinds": {k: colour for k, (colour, _, _) in eng.KINDS.items()},
                **_network_options(), **_train_options()}

    def _expression(self, p: Params) -> dict:
        formula = p.text("formula", limit=LIMITS["formula_chars"], too_long="formula_too_long")
        graph, response = expression.view(formula, p.numbers("values",
                                                             limit=expression.MAX_NAMES * 4))
        self.graphs["expression"] = graph
        self.titles["expression"] = formula.strip()
        return response

    def _graph(self, p: Params) -> GraphView:
        mode = p.choice("mode", ("expression", "network"), "expression")
        graph = self.graphs.get(mode)
        if graph is None:
            raise LabError("no_graph")
        if p.has("version") and p.integer("version") != graph.version:
            raise LabError("no_graph")   # the page asks about a picture it no longer shows
        return graph

    def _explain_edge(self, p: Params) -> dict:
        return self._graph(p).explain_edge(p.text("edge", limit=60))

    def _explain_value(self, p: Params) -> dict:
        graph = self._graph(p)
        return graph.explain_value(p.text("node", limit=20), p.number("lr", 0.1, 0.0, 1e6))

    def _steps(self, p: Params) -> dict:
        return self._graph(p).steps()

    def _check(self, p: Params) -> dict:
        graph = self._graph(p)
        formula = p.text("formula", limit=LIMITS["formula_chars"], too_long="formula_too_long")
        return graph.check(p.text("wrt", limit=100), formula)

    def _export_dot(self, p: Params) -> dict:
        return self._graph(p).export_dot()

    def _compose_svg(self, p: Params) -> dict:
        """The picture and its legend, each laid out by the page, as one SVG (render's way)."""
        limit = LIMITS["request_bytes"]
        picture, legend = p.text("picture", limit=limit), p.text("legend", limit=limit)
        if not all(t.lstrip().startswith(("<?xml", "<svg", "<!DOCTYPE")) for t in
                   (picture, legend)):
            raise LabError("bad_param", name="picture", expected="SVG text")
        try:
            return {"svg": eng.compose_svg(picture, legend)}
        except (RuntimeError, ValueError) as e:
            raise LabError("bad_param", name="picture", expected=f"SVG text ({e})") from None

    def _export_page(self, p: Params) -> dict:
        mode = p.choice("mode", ("expression", "network"), "expression")
        return self._graph(p).export_page(self.titles.get(mode) or "backward")

    def _network(self, p: Params) -> dict:
        from visualize.lab import network

        self.network, graph, response = network.view(p, LIMITS)
        self.graphs["network"] = graph
        self.titles["network"] = response["title"]
        return response

    def _train_setup(self, p: Params) -> dict:
        from visualize.lab import train

        self.training = train.Training(p, LIMITS)
        return self.training.view(full=True)

    def _train_step(self, p: Params) -> dict:
        if self.training is None:
            raise LabError("train_none")
        steps = p.integer("steps", 1, 1, LIMITS["steps_per_call"])
        self.training.run(steps, p.number("seconds", LIMITS["step_seconds"], 0.0,
                                          LIMITS["step_seconds"]))
        return self.training.view(with_diagram=p.flag("diagram", True))

    def _exercises(self) -> Exercises:
        if self.exercises is None:
            from visualize.lab.exercises import Exercises
            self.exercises = Exercises()
        return self.exercises

    def _exercise_list(self, p: Params) -> dict:
        return self._exercises().listing(p)

    def _exercise_check(self, p: Params) -> dict:
        return self._exercises().check(p)

    def _train_view(self, p: Params) -> dict:
        """The run as it is, nothing trained (the page built again, in another language)."""
        if self.training is None:
            raise LabError("train_none")
        return self.training.view(full=True)

    def _train_choose(self, p: Params) -> dict:
        if self.training is None:
            raise LabError("train_none")
        return self.training.choose(p.text("weight", limit=40))


METHODS = {
    "lab.init": "_init",
    "expression.set": "_expression",
    "graph.explain_edge": "_explain_edge",
    "graph.explain_value": "_explain_value",
    "graph.steps": "_steps",
    "graph.check": "_check",
    "graph.export_dot": "_export_dot",
    "graph.export_page": "_export_page",
    "graph.compose_svg": "_compose_svg",
    "network.set": "_network",
    "exercises.list": "_exercise_list",
    "exercises.check": "_exercise_check",
    "train.setup": "_train_setup",
    "train.step": "_train_step",
    "train.view": "_train_view",
    "train.choose": "_train_choose",
}


def _network_options() -> dict:
    from visualize.lab.options import NETWORK_OPTIONS
    return NETWORK_OPTIONS


def _train_options() -> dict:
    from visualize.lab.options import TRAIN_OPTIONS
    return TRAIN_OPTIONS


def parse_json(text: str | bytes):
    """JSON as the page sends it; NaN and Infinity (which JSON does not have) are refused."""
    def refuse(constant: str):
        raise LabError("bad_request", message=f"{constant} is not a JSON number")

    try:
        return json.loads(text, parse_constant=refuse)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as e:
        raise LabError("bad_request", message=f"not JSON ({_one_line(e)[:80]})") from None


def to_json(response: dict) -> str:
    """A response as JSON text (non-finite numbers were made null by the session)."""
    return json.dumps(response, allow_nan=False, ensure_ascii=False, separators=(",", ":"))


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:500] or type(error).__name__

