"""The lab as a notebook widget: ``from visualize import Lab``.

``Lab("tanh(x*w + b)", x=2, w=-3, b=6.88)`` shows the lab's page in a notebook (Jupyter,
VS Code, Colab: any front-end with ipywidgets). The kernel is the engine: the page sends its
requests to a ``LabSession`` in this Python process (anywidget's custom messages), so moving a
slider recomputes here and the page redraws. The page's files (the same ES modules and vendored
packages as the local server's) travel through the same messages, once per page; nothing comes
from a CDN.

The state is readable and settable from Python: ``lab.formula``, ``lab.values``, ``lab.grads``,
``lab.output``, ``lab.error``, ``lab.step``, ``lab.mode``. Setting one recomputes at once (no
page needed) and every view of the widget follows. A notebook exported to HTML shows the view
as it was when the cell ran: a static picture of the graph (SVG) and a table of the values.
"""

from __future__ import annotations

import hashlib
import html
import math
import pathlib
from numbers import Real

import anywidget
import traitlets

from autograd import Value
from autograd.extend import using_language
from visualize.lab.given import GivenGraph, GivenSession, csv_text, network_state
from visualize.lab.messages import render

__all__ = ["Lab"]

STATIC = pathlib.Path(__file__).parent / "static"
# The page's files a widget sends (the server's index.html and npm's files stay behind).
_FILE_GLOBS = ("js/*.js", "lab.css", "vendor/viz/*.js", "vendor/katex/*.mjs",
               "vendor/katex/*.css", "vendor/katex/fonts/*.woff2")
_files_cache: tuple[str, list[str], list[bytes]] | None = None


def _page_files() -> tuple[str, list[str], list[bytes]]:
    """(version, names, contents) of the page's files, read once per process."""
    global _files_cache
    if _files_cache is None:
        paths = sorted({p for glob in _FILE_GLOBS for p in STATIC.glob(glob)})
        names = [p.relative_to(STATIC).as_posix() for p in paths]
        contents = [p.read_bytes() for p in paths]
        digest = hashlib.sha256()
        for name, data in zip(names, contents):
            digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        _files_cache = (digest.hexdigest()[:16], names, contents)
    return _files_cache


def _number(x, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"Lab: {what} must be a number, got {type(x).__name__} {x!r}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"Lab: {what} must be a finite number, got {x!r}")
    return x


def _values_text(values: dict[str, float]) -> str:
    """Values as the page writes them in its state (``x:2,w:-3``)."""
    return ",".join(f"{name}:{value!r}" for name, value in values.items())


class Lab(anywidget.AnyWidget):
    """The live lab in a notebook.

    ``Lab("tanh(x*w + b)", x=2, w=-3, b=6.88)``: a formula over names, parsed by the lab's
    whitelist (never ``eval``), with a starting value per name (a name left out starts at 1).

    ``Lab(value)``: a graph you built; its leaves become sliders. Your Values are never changed:
    the lab recomputes a copy.

    ``Lab(model, X, y)``: an MLP in network mode on the first sample of ``(X, y)`` (its own
    weights), and ``(X, y)`` as train mode's CSV data set.

    Args:
        height: the widget's height in pixels.
        lang: the page's language ("zh", "en"; default: the kernel's, as ``set_language`` or
            the environment chose it). ``lab.language`` reads it and sets it, as does the
            page's switch.

    Example::

        lab = Lab("tanh(x*w + b)", x=2, w=-3, b=6.88)
        lab            # the widget; drag w and watch the gradients
        lab.grads      # {'x': ..., 'w': ..., 'b': ...}: what the page shows
        lab.values = {"w": -1.5}   # the page follows
    """

    _esm = (STATIC / "js" / "widget-loader.js").read_text()
    _state = traitlets.Dict().tag(sync=True)      # the page's state, in its link's words
    _files = traitlets.Unicode("").tag(sync=True)  # version of the page's files
    # the view as a still picture, shown until the page is ready, or instead of it where no
    # kernel answers (a notebook exported to HTML with its widget state)
    _snapshot = traitlets.Dict().tag(sync=True)
    height = traitlets.Int(680).tag(sync=True)
    # the page's language: a code there are messages for ("en", "zh"); the page's switch sets it
    language = traitlets.Unicode("en").tag(sync=True)

    def __init__(self, what="tanh(x*w + b)", X=None, y=None, *, height: int = 680,
                 lang: str | None = None, **values):
        self._result: dict | None = None
        self._error: dict | None = None
        self._remembered: dict[str, float] = {}   # every name's last value, as the page keeps
        self._steps: dict | None = None
        graph, network = None, None
        if isinstance(what, Value):
            graph = GivenGraph(what)
            formula = graph.formula
            values = {**{n: v.data for n, v in graph.leaves.items()}, **values}
        elif isinstance(what, str):
            formula = what
        elif hasattr(what, "layers") and hasattr(what, "parameters"):
            network, formula = what, "tanh(x*w + b)"
        else:
            raise TypeError(f"Lab: expected a formula (text), a Value or an MLP, got "
                            f"{type(what).__name__}")
        if network is None and (X is not None or y is not None):
            raise TypeError("Lab: X and y go with a network: Lab(model, X, y)")
        given = {name: _number(v, f"the value of {name}") for name, v in values.items()}
        data = state = None
        if network is not None:
            if (X is None) != (y is None):
                raise TypeError("Lab: give both X and y, or neither")
            if X is not None:
                rows, targets, data = csv_text(X, y)
                state = network_state(network, rows[0], targets[0])
            else:
                nin = len(network.layers[0].neurons[0].w)
                state = network_state(network, [0.5] * nin, 1.0)
        with using_language(lang) as code:   # refuses a language without messages
            self.session = GivenSession(graph, data, language=code)
        super().__init__(height=height, _files=_page_files()[0], language=code)
        self._compute(formula, given)
        self._publish()
        if state is not None:
            self._network = state
            self._state = {**self._state, **state}
        self.on_msg(self._on_message)

    # -- state, read and set from Python -------------------------------------------------------

    @traitlets.validate("language")
    def _valid_language(self, proposal) -> str:
        try:
            with using_language(proposal["value"]) as code:
                return code
        except (TypeError, ValueError) as e:
            raise traitlets.TraitError(f"Lab: {e}") from None

    @traitlets.observe("language")
    def _language_changed(self, change) -> None:
        """The kernel answers in the new language; the page (switch or Python) follows."""
        session = getattr(self, "session", None)
        if session is not None:
            session.language = session.default_language = change["new"]

    @property
    def mode(self) -> str:
        """The page's mode: "expression", "network" or "train"; setting it switches the page
        (train mode starts on the notebook's data when the lab was given ``X, y``)."""
        return self._state.get("mode", "expression")

    @mode.setter
    def mode(self, name: str) -> None:
        if name not in ("expression", "network", "train"):
            raise ValueError(f"Lab: mode must be 'expression', 'network' or 'train', got "
                             f"{name!r}")
        state = {**self._state, "mode": name}
        network = getattr(self, "_network", None)
        if name == "train" and network is not None and self.session.data is not None:
            hidden = network["net"].split("-")[1:-1]
            state.update(data="csv", hidden=",".join(hidden), act=network["act"],
                         out=network["out"])
        self._state = state

    @property
    def formula(self) -> str:
        """The formula the lab shows; setting it recomputes (an error goes to ``error``)."""
        return self._formula

    @formula.setter
    def formula(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"Lab: the formula must be text, got {type(text).__name__}")
        self._compute(text, {**self._remembered, **self._values})
        self._publish()

    @property
    def values(self) -> dict[str, float]:
        """Each name's value. Setting a dict changes the names it gives (the others keep
        theirs); a name the formula does not have is refused."""
        return dict(self._values)

    @values.setter
    def values(self, new: dict) -> None:
        if not isinstance(new, dict):
            raise TypeError(f"Lab: values must be a dict of name -> number, got "
                            f"{type(new).__name__}")
        names = self.names
        unknown = [n for n in new if n not in names]
        if unknown and self._error is None:
            raise KeyError(f"Lab: {unknown[0]!r} is not a name of {self._formula!r}; its "
                           f"names are: {', '.join(names) or '(none)'}")
        merged = dict(self._values)
        merged.update({n: _number(v, f"the value of {n}") for n, v in new.items()})
        self._compute(self._formula, merged)
        self._publish()

    def set(self, **values) -> Lab:
        """``lab.set(w=-1.5)``: change some values (as ``lab.values = {...}``); returns the lab."""
        self.values = values
        return self

    @property
    def names(self) -> list[str]:
        """The formula's names, in the order the page lists them."""
        return [leaf["name"] for leaf in self._result["leaves"]] if self._result else []

    @property
    def grads(self) -> dict[str, float | None]:
        """∂out/∂name for each name, as the page shows it (empty while the formula has an
        error; None where a gradient is not a finite number)."""
        if self._result is None:
            return {}
        return {leaf["name"]: leaf["grad"] for leaf in self._result["leaves"]}

    @property
    def output(self) -> float | None:
        """The formula's value (None while it has an error)."""
        return self._result["output"]["value"] if self._result else None

    @property
    def error(self) -> str | None:
        """The message the page shows under the formula, or None."""
        return self._error["text"] if self._error else None

    @property
    def steps(self) -> int:
        """The last step of one backward pass as the page counts them ("step k of n"): 0 is
        the seed, 1 to n - 1 are the edges in the order backward takes them, n is done."""
        return len(self._step_frames()) + 1 if self._result else 0

    @property
    def step(self) -> int | None:
        """The backward step the page shows (0: the seed; ``steps``: done), or None
        when the page is not stepping. Setting it opens the step tool at that step."""
        if self._state.get("tool") != "step":
            return None
        try:
            return int(self._state.get("step", 0))
        except ValueError:
            return 0

    @step.setter
    def step(self, k: int) -> None:
        if isinstance(k, bool) or not isinstance(k, int):
            raise TypeError(f"Lab: step must be a whole number, got {k!r}")
        n = self.steps
        if not 0 <= k <= n:
            raise ValueError(f"Lab: step must be from 0 to {n} (the steps of one backward "
                             f"pass of {self._formula!r}), got {k}")
        self._state = {**self._state, "mode": "expression", "tool": "step", "step": str(k)}

    @property
    def step_info(self) -> dict | None:
        """What the step shown does: the edge (``node``, ``parent``), its local derivative,
        the contribution ``local × node.grad`` and the parent's gradient so far."""
        k = self.step
        frames = self._step_frames()
        if not k or k > len(frames):
            return None
        f = frames[k - 1]
        return {"node": f["node_name"], "parent": f["parent_name"], "op": f["op_name"],
                "local": f["local"], "node_grad": f["grad"], "contribution": f["contribution"],
                "parent_grad": f["total"], "uses": f["uses"], "use": f["k"]}

    # -- the engine ----------------------------------------------------------------------------

    def _compute(self, formula: str, values: dict[str, float]) -> None:
        self._formula, self._steps = formula, None
        response = self.session.handle({"method": "expression.set",
                                        "params": {"formula": formula, "values": values}})
        self._record("expression.set", {"formula": formula, "values": values}, response)

    def _record(self, method: str, params, response: dict) -> None:
        """Keep what the page was last told (the same answer whoever asked)."""
        if method != "expression.set" or not isinstance(params, dict):
            return
        formula = params.get("formula")
        if not isinstance(formula, str):
            return
        self._formula, self._steps = formula, None
        values = params.get("values") if isinstance(params.get("values"), dict) else {}
        self._remembered.update((k, v) for k, v in values.items() if isinstance(k, str) and
                                isinstance(v, (int, float)) and not isinstance(v, bool))
        if response.get("ok"):
            self._result, self._error = response["result"], None
            self._values = {leaf["name"]: leaf["value"] for leaf in self._result["leaves"]}
        else:
            self._result, self._error = None, response["error"]
            self._values = {k: v for k, v in values.items() if isinstance(v, (int, float))}

    def _step_frames(self) -> list[dict]:
        if self._result is None:
            return []
        if self._steps is None:
            answer = self.session.handle({"method": "graph.steps", "params": {}})
            self._steps = answer["result"] if answer.get("ok") else {"frames": []}
        return self._steps["frames"]

    def _publish(self) -> None:
        """Tell every view the state Python set."""
        self._state = {**self._state, "mode": "expression", "f": self._formula,
                       "v": _values_text(self._values)}
        self._snapshot = self._still()

    # -- the page's messages -------------------------------------------------------------------

    def _on_message(self, _widget, content, buffers) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("kind")
        if kind == "call":
            method, params = content.get("method"), content.get("params")
            response = self.session.handle({"method": method, "params": params})
            self._record(method, params, response)
            self.send({"kind": "answer", "id": content.get("id"), "response": response})
        elif kind == "files":
            version, names, contents = _page_files()
            self.send({"kind": "files", "version": version, "names": names}, contents)

    # -- a static picture for notebooks saved without the widget ---------------------------------

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if data is None:
            return bundle
        self._snapshot = self._still()
        data["text/html"] = self._static_html()
        data["text/plain"] = self._text()
        return bundle

    def _text(self) -> str:
        if self._error:
            return f"Lab({self._formula!r}): {self._error['text']}"
        rows = ", ".join(f"{n}={v:.4g} (grad {g if g is None else format(g, '.4g')})"
                         for n, v, g in zip(self.names, self._values.values(),
                                            self.grads.values()))
        return f"Lab({self._formula!r}): out={self.output:.4g}; {rows}"

    def _still(self) -> dict:
        """The view as plain data: formula, error, the graph's SVG (when a Graphviz is at
        hand; "" otherwise) and a row per name (name, value, gradient, as the page writes
        them)."""
        def text(x):
            return "—" if x is None else format(x, ".4g")

        rows = [[n, text(self._values.get(n)), text(g)] for n, g in self.grads.items()]
        if self._result:
            rows.append(["out", text(self.output), "1"])
        with using_language(self.session.language):
            words = {key: render(key) for key in ("app_title", "still_name", "still_value",
                                                  "still_grad", "still_note")}
        return {"formula": self._formula, "error": self.error or "",
                "svg": "" if self._error else (self._svg() or ""), "rows": rows,
                "words": words}

    def _static_html(self) -> str:
        """The view as a picture (the graph's SVG when a Graphviz is at hand) and a table."""
        esc, still = html.escape, self._snapshot or self._still()
        words = {k: esc(v) for k, v in still["words"].items()}
        parts = [f"<div class='backprop-lab-static'><p><b>{words['app_title']}</b>: "
                 f"<code>{esc(still['formula'])}</code></p>"]
        if still["error"]:
            parts.append(f"<p style='color:#b2182b'>{esc(still['error'])}</p>")
        else:
            parts.append(still["svg"])
            parts.append(f"<table><tr><th>{words['still_name']}</th><th>{words['still_value']}"
                         f"</th><th>{words['still_grad']}</th></tr>")
            parts += [f"<tr><td>{esc(n)}</td><td>{v}</td><td>{g}</td></tr>"
                      for n, v, g in still["rows"]]
            parts.append("</table>")
        parts.append(f"<p><i>{words['still_note']}</i></p></div>")
        return "".join(parts)

    def _svg(self) -> str | None:
        dot = self._result["graph"].get("dot") if self._result else None
        if not dot:
            return None
        from visualize.render import GraphvizNotFoundError, to_svg
        try:
            svg = to_svg(dot)
        except (GraphvizNotFoundError, OSError, ValueError, RuntimeError):
            return None
        return svg[svg.find("<svg"):] if "<svg" in svg else None
