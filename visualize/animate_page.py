"""The HTML page of ``animate_backward``: @LANG@, @TITLE@, @HEADING@, @SVG@, @DATA@ and each
@T:key@ (a text of ``HTML_TEXT``) are filled in; the script writes the texts of
``SCRIPT_TEXT`` (sent in the data, in the reader's language) with their {fields} filled."""

from autograd.extend import N_

HTML_TEXT = {
    "title": N_("backward, step by step"),
    "first": N_("first (Home)"),
    "previous": N_("previous (left arrow)"),
    "play_pause": N_("play / pause (space)"),
    "play": N_("play"),
    "next": N_("next (right arrow)"),
    "last": N_("last (End)"),
    "zoom_out": N_("zoom out (-)"),
    "zoom_in": N_("zoom in (+): from the overview, straight to readable text"),
    "zoom_fit": N_("the whole graph in the window (0)"),
    "fit": N_("fit"),
    "zoom_one": N_("actual size (1)"),
}
HEADING = N_("{title}: backward, one chain-rule step at a time")
SCRIPT_TEXT = {
    "scale_groups": N_("the largest of its group (parameters {parameters}, other values "
                       "{values})"),
    "scale_one": N_("the largest, {biggest}"),
    "fill": N_("fill: |grad| of this pass ÷ {scale}; constants: no fill:"),
    "border": N_("border:"),
    "step_colours": N_("· step:"),
    "passes": N_("passes gradient (and its edge)"),
    "receives": N_("receives it"),
    "step_zero": N_("Step 0: nothing propagated yet. Press next (or the right arrow)."),
    "no_parents": N_("The root has no parents: there is nothing to propagate."),
    "done_text": N_("Done: backward has visited every edge ({n} steps)."),
    "done": N_("done"),
    "counter": N_("step {k} of {n}"),
    "play": N_("play"),
    "pause": N_("pause"),
}

PAGE = r"""<!DOCTYPE html>
<html lang="@LANG@">
<head>
<meta charset="utf-8">
<title>@TITLE@ · @T:title@</title>
<style>
  body { font-family: Helvetica, Arial, "Noto Sans CJK SC", "Noto Sans CJK", sans-serif;
         margin: 10px 16px; color: #222; }
  h1 { font-size: 18px; margin: 0 0 6px 0; }
  #controls { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
  #controls button { font-size: 15px; min-width: 38px; padding: 3px 8px; }
  #slider { flex: 1; min-width: 160px; }
  #counter { font-variant-numeric: tabular-nums; min-width: 120px; }
  #explain { margin: 6px 0; padding: 6px 10px; background: #f6f6f6;
             border-left: 4px solid #d62728; min-height: 3.4em; }
  #step-text { font-family: Menlo, Consolas, "Noto Sans Mono CJK SC", monospace; font-size: 16px;
               font-weight: bold; }
  #why, #collect { font-size: 14px; margin-top: 3px; }
  #collect { color: #a01060; font-weight: bold; }
  #legend { font-size: 13px; margin: 4px 0 6px 0; line-height: 1.7; }
  #legend span.sw { display: inline-block; width: 14px; height: 12px; border: 1px solid #999;
                    vertical-align: middle; margin: 0 3px 0 10px; }
  #graph { overflow: auto; border: 1px solid #ddd; height: calc(100vh - 250px);
           min-height: 320px; cursor: grab; }
  #graph.dragging { cursor: grabbing; }
  #graph svg { display: block; }
  g.hl-node > polygon, g.hl-node > ellipse { stroke: #d62728 !important; stroke-width: 5px; }
  g.hl-parent > polygon { stroke: #e7298a !important; stroke-width: 5px;
                          filter: drop-shadow(0 0 3px #e7298a); }
  g.hl-edge > path { stroke: #d62728 !important; stroke-width: 4px; }
  g.hl-edge > polygon { stroke: #d62728 !important; fill: #d62728 !important; }
  g.hl-edge > text { fill: #d62728; font-weight: bold; }
</style>
</head>
<body>
<h1>@HEADING@</h1>
<div id="controls">
  <button id="first" title="@T:first@">|&#x25C0;</button>
  <button id="prev" title="@T:previous@">&#x25C0;</button>
  <button id="play" title="@T:play_pause@">@T:play@</button>
  <button id="next" title="@T:next@">&#x25B6;</button>
  <button id="last" title="@T:last@">&#x25B6;|</button>
  <input id="slider" type="range" min="0" value="0">
  <span id="counter"></span>
  <button id="zoom-out" title="@T:zoom_out@">&#x2212;</button>
  <button id="zoom-in" title="@T:zoom_in@">+</button>
  <button id="zoom-fit" title="@T:zoom_fit@">@T:fit@</button>
  <button id="zoom-one" title="@T:zoom_one@">1:1</button>
</div>
<div id="explain">
  <div id="step-text"></div>
  <div id="why"></div>
  <div id="collect"></div>
</div>
<div id="legend"></div>
<div id="graph">@SVG@</div>
<script type="application/json" id="frames">@DATA@</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("frames").textContent);
  var steps = data.steps, n = steps.length, last = n + 1, frame = 0, timer = null;
  var slider = document.getElementById("slider");
  var box = document.getElementById("graph");
  var svg = box.querySelector("svg");
  var natural = [parseFloat(svg.getAttribute("width")) * 4 / 3,
                 parseFloat(svg.getAttribute("height")) * 4 / 3];
  var READABLE = 12 / 16;  // the graph's 12 pt (16 px) text at 12 px: one zoom step from fit
  var zoom = 1;
  slider.max = String(last);

  function say(key, values) {  // a text of the page in the reader's language, fields filled
    return data.text[key].replace(/\{(\w+)\}/g, function (m, name) { return values[name]; });
  }
  function text(s) { return document.createTextNode(s); }
  function swatch(style) {
    var sw = document.createElement("span");
    sw.className = "sw";
    Object.keys(style).forEach(function (k) { sw.style[k] = style[k]; });
    return sw;
  }
  var legend = document.getElementById("legend");
  var scale = data.biggest.parameter && data.biggest.value
    ? say("scale_groups", {parameters: data.biggest.parameter.toPrecision(4),
                           values: data.biggest.value.toPrecision(4)})
    : say("scale_one", {biggest: Math.max(data.biggest.parameter,
                                          data.biggest.value).toPrecision(4)});
  legend.appendChild(text(say("fill", {scale: scale})));
  data.palette.forEach(function (p) {
    legend.appendChild(swatch({background: p[1]}));
    legend.appendChild(text(p[2]));
  });
  legend.appendChild(document.createElement("br"));
  legend.appendChild(text(say("border", {})));
  data.kinds.forEach(function (k) {
    legend.appendChild(swatch({border: "3px solid " + k[0], background: "#fff"}));
    legend.appendChild(text(k[1]));
  });
  legend.appendChild(text("  " + say("step_colours", {})));
  legend.appendChild(swatch({border: "3px solid #d62728", background: "#fff"}));
  legend.appendChild(text(say("passes", {})));
  legend.appendChild(swatch({border: "3px solid #e7298a", background: "#fff"}));
  legend.appendChild(text(say("receives", {})));

  function fill(g, id) {
    var biggest = data.biggest[data.groups[id]];
    if (!biggest || g === 0) return data.palette[0][1];
    var r = Math.abs(g) / biggest;
    for (var i = 1; i < data.palette.length; i++) {
      if (r <= data.palette[i][0]) return data.palette[i][1];
    }
    return data.palette[data.palette.length - 1][1];
  }

  function gradText(g) {  // the box's gradient line, found by its place, never by its text
    var line = data.gradline[g.id];
    return line === undefined ? null : g.getElementsByTagName("text")[line];
  }

  function mark(id, cls) {
    var el = id && document.getElementById(id);
    if (el) el.classList.add(cls);
    return el;
  }

  function setZoom(z) {
    zoom = Math.max(0.02, Math.min(4, z));
    svg.style.width = (natural[0] * zoom) + "px";
    svg.style.height = (natural[1] * zoom) + "px";
  }
  function fitWidth() { return (box.clientWidth - 4) / natural[0]; }
  function fitAll() {
    return Math.min(fitWidth(), (box.clientHeight - 4) / natural[1], 1);
  }
  function zoomIn() {  // from a small overview, the first step goes straight to readable text
    return zoom < READABLE * 0.999 ? READABLE : zoom * 1.25;
  }

  function reveal(els) {  // scroll so the highlighted elements are in the middle of the view
    var rects = els.filter(Boolean).map(function (el) { return el.getBoundingClientRect(); });
    if (!rects.length) return;
    var left = Math.min.apply(null, rects.map(function (r) { return r.left; }));
    var right = Math.max.apply(null, rects.map(function (r) { return r.right; }));
    var top = Math.min.apply(null, rects.map(function (r) { return r.top; }));
    var bottom = Math.max.apply(null, rects.map(function (r) { return r.bottom; }));
    var view = box.getBoundingClientRect();
    if (left >= view.left && right <= view.right && top >= view.top && bottom <= view.bottom) {
      return;
    }
    box.scrollLeft += (left + right) / 2 - (view.left + view.right) / 2;
    box.scrollTop += (top + bottom) / 2 - (view.top + view.bottom) / 2;
  }

  function show(k) {
    frame = Math.max(0, Math.min(last, isNaN(k) ? 0 : k));
    var state = {};
    Object.keys(data.initial).forEach(function (id) { state[id] = data.initial[id]; });
    for (var i = 0; i < Math.min(frame, n); i++) {
      state[steps[i].parent] = [steps[i].grad, steps[i].shown];
    }
    Object.keys(state).forEach(function (id) {
      var g = document.getElementById(id);
      if (!g) return;
      var t = gradText(g);
      if (!t) return;  // a box without a gradient line
      t.textContent = "grad " + state[id][1];
      var shape = g.querySelector("polygon");
      if (shape && !g.classList.contains("dead")) shape.style.fill = fill(state[id][0], id);
    });
    ["hl-node", "hl-parent", "hl-edge"].forEach(function (cls) {
      Array.prototype.slice.call(document.getElementsByClassName(cls)).forEach(function (el) {
        el.classList.remove(cls);
      });
    });
    var s = frame > 0 && frame <= n ? steps[frame - 1] : null;
    var stepText = document.getElementById("step-text");
    var why = document.getElementById("why");
    document.getElementById("collect").textContent = s ? s.collect : "";
    if (s) {
      var a = mark(s.node, "hl-node"), b = mark(s.op, "hl-node");
      var c = mark(s.parent, "hl-parent"), d = mark(s.edge, "hl-edge");
      stepText.textContent = s.text;
      why.textContent = s.why;
      reveal([a, b, c, d]);
    } else if (frame === 0) {
      reveal([mark(data.root, "hl-node")]);
      stepText.textContent = data.seed;
      why.textContent = n ? say("step_zero", {}) : say("no_parents", {});
    } else {
      stepText.textContent = say("done_text", {n: n});
      why.textContent = data.done;
    }
    slider.value = String(frame);
    document.getElementById("counter").textContent =
      frame === last ? say("done", {}) : say("counter", {k: frame, n: n});
    if (location.hash !== "#step=" + frame && history.replaceState) {
      history.replaceState(null, "", "#step=" + frame);
    }
  }

  function play() {
    if (timer) { clearInterval(timer); timer = null; }
    else {
      if (frame >= last) show(0);
      timer = setInterval(function () {
        if (frame >= last) { play(); return; }
        show(frame + 1);
      }, 900);
    }
    document.getElementById("play").textContent = say(timer ? "pause" : "play", {});
  }

  function fromHash() {
    var m = /step=(\d+)/.exec(location.hash);
    return m ? parseInt(m[1], 10) : 0;
  }

  function rezoom(z) { setZoom(z); show(frame); }
  document.getElementById("first").onclick = function () { show(0); };
  document.getElementById("prev").onclick = function () { show(frame - 1); };
  document.getElementById("next").onclick = function () { show(frame + 1); };
  document.getElementById("last").onclick = function () { show(last); };
  document.getElementById("play").onclick = play;
  document.getElementById("zoom-in").onclick = function () { rezoom(zoomIn()); };
  document.getElementById("zoom-out").onclick = function () { rezoom(zoom / 1.25); };
  document.getElementById("zoom-fit").onclick = function () { rezoom(fitAll()); };
  document.getElementById("zoom-one").onclick = function () { rezoom(1); };
  slider.oninput = function () { show(parseInt(slider.value, 10)); };
  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight") show(frame + 1);
    else if (e.key === "ArrowLeft") show(frame - 1);
    else if (e.key === "Home") show(0);
    else if (e.key === "End") show(last);
    else if (e.key === " ") play();
    else if (e.key === "+" || e.key === "=") rezoom(zoomIn());
    else if (e.key === "-") rezoom(zoom / 1.25);
    else if (e.key === "0") rezoom(fitAll());
    else if (e.key === "1") rezoom(1);
    else return;
    e.preventDefault();
  });
  box.addEventListener("wheel", function (e) {
    if (!e.ctrlKey) return;
    e.preventDefault();
    rezoom(zoom * (e.deltaY < 0 ? 1.1 : 1 / 1.1));
  }, {passive: false});
  var drag = null;
  box.addEventListener("mousedown", function (e) {
    drag = [e.clientX, e.clientY, box.scrollLeft, box.scrollTop];
    box.classList.add("dragging");
  });
  window.addEventListener("mousemove", function (e) {
    if (!drag) return;
    box.scrollLeft = drag[2] - (e.clientX - drag[0]);
    box.scrollTop = drag[3] - (e.clientY - drag[1]);
  });
  window.addEventListener("mouseup", function () {
    drag = null;
    box.classList.remove("dragging");
  });
  window.addEventListener("hashchange", function () {
    if (fromHash() !== frame) show(fromHash());
  });
  // open with the whole graph in the window; one zoom step (+) reaches readable text
  setZoom(fitAll());
  show(fromHash());
})();
</script>
</body>
</html>
"""
