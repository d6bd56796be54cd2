"""The HTML page of ``animate_backward``; @TITLE@, @SVG@ and @DATA@ are filled in."""

PAGE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>@TITLE@ · backward, step by step</title>
<style>
  body { font-family: Helvetica, Arial, sans-serif; margin: 12px 18px; color: #222; }
  h1 { font-size: 18px; margin: 0 0 8px 0; }
  #controls { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
  #controls button { font-size: 15px; min-width: 42px; padding: 3px 8px; }
  #slider { flex: 1; min-width: 160px; }
  #counter { font-variant-numeric: tabular-nums; min-width: 110px; }
  #explain { margin: 8px 0; padding: 8px 10px; background: #f6f6f6;
             border-left: 4px solid #d62728; min-height: 3.6em; }
  #step-text { font-family: Menlo, Consolas, monospace; font-size: 16px; font-weight: bold; }
  #why, #collect { font-size: 13px; margin-top: 3px; }
  #collect { color: #1f6f1f; font-weight: bold; }
  #legend { font-size: 12px; margin: 4px 0 8px 0; }
  #legend span.sw { display: inline-block; width: 14px; height: 12px; border: 1px solid #999;
                    vertical-align: middle; margin: 0 3px 0 10px; }
  #graph { overflow: auto; border: 1px solid #ddd; }
  #graph svg { max-width: 100%; height: auto; }
  g.hl-node > polygon, g.hl-node > ellipse { stroke: #d62728 !important; stroke-width: 4px; }
  g.hl-parent > polygon { stroke: #2ca02c !important; stroke-width: 4px; }
  g.hl-edge > path { stroke: #d62728 !important; stroke-width: 4px; }
  g.hl-edge > polygon { stroke: #d62728 !important; fill: #d62728 !important; }
  g.hl-edge > text { fill: #d62728; font-weight: bold; }
</style>
</head>
<body>
<h1>@TITLE@: backward, one chain-rule step at a time</h1>
<div id="controls">
  <button id="first" title="first (Home)">|&#x25C0;</button>
  <button id="prev" title="previous (left arrow)">&#x25C0;</button>
  <button id="play" title="play / pause (space)">play</button>
  <button id="next" title="next (right arrow)">&#x25B6;</button>
  <button id="last" title="last (End)">&#x25B6;|</button>
  <input id="slider" type="range" min="0" value="0">
  <span id="counter"></span>
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
  var steps = data.steps, n = steps.length, frame = 0, timer = null;
  var slider = document.getElementById("slider");
  slider.max = String(n);

  var legend = document.getElementById("legend");
  legend.textContent = "fill: |grad| relative to the final max " +
    data.biggest.toPrecision(4) + ":";
  data.palette.forEach(function (p) {
    var sw = document.createElement("span");
    sw.className = "sw"; sw.style.background = p[1];
    legend.appendChild(sw);
    legend.appendChild(document.createTextNode(p[2]));
  });
  legend.appendChild(document.createTextNode(
    "  · red: the node passing gradient and its edge · green: the parent receiving it" +
    " · grey dashed: dead ReLU"));

  function fill(g) {
    if (data.biggest === 0 || g === 0) return data.palette[0][1];
    var r = Math.abs(g) / data.biggest;
    for (var i = 1; i < data.palette.length; i++) {
      if (r <= data.palette[i][0]) return data.palette[i][1];
    }
    return data.palette[data.palette.length - 1][1];
  }

  function gradText(g) {
    var texts = g.getElementsByTagName("text");
    for (var i = 0; i < texts.length; i++) {
      if (texts[i].textContent.indexOf("grad ") === 0) return texts[i];
    }
    return null;
  }

  function setClass(id, cls) {
    var el = id && document.getElementById(id);
    if (el) el.classList.add(cls);
  }

  function show(k) {
    frame = Math.max(0, Math.min(n, isNaN(k) ? 0 : k));
    var state = {};
    Object.keys(data.initial).forEach(function (id) { state[id] = data.initial[id]; });
    for (var i = 0; i < frame; i++) state[steps[i].parent] = [steps[i].grad, steps[i].shown];
    Object.keys(state).forEach(function (id) {
      var g = document.getElementById(id);
      if (!g) return;
      var t = gradText(g);
      if (t) t.textContent = "grad " + state[id][1];
      var shape = g.querySelector("polygon");
      if (shape && !g.classList.contains("dead")) shape.style.fill = fill(state[id][0]);
    });
    ["hl-node", "hl-parent", "hl-edge"].forEach(function (cls) {
      Array.prototype.slice.call(document.getElementsByClassName(cls)).forEach(function (el) {
        el.classList.remove(cls);
      });
    });
    var s = frame > 0 ? steps[frame - 1] : null;
    if (s) {
      setClass(s.node, "hl-node"); setClass(s.op, "hl-node");
      setClass(s.parent, "hl-parent"); setClass(s.edge, "hl-edge");
      document.getElementById("step-text").textContent = s.text;
      document.getElementById("why").textContent = s.why;
      document.getElementById("collect").textContent = s.collect;
    } else {
      setClass(data.root, "hl-node");
      document.getElementById("step-text").textContent = data.seed;
      document.getElementById("why").textContent = n ?
        "Step 0: nothing propagated yet. Press next (or the right arrow key)." :
        "The root has no parents: there is nothing to propagate.";
      document.getElementById("collect").textContent = "";
    }
    slider.value = String(frame);
    document.getElementById("counter").textContent = "step " + frame + " of " + n;
    if (location.hash !== "#step=" + frame && history.replaceState) {
      history.replaceState(null, "", "#step=" + frame);
    }
  }

  function play() {
    if (timer) { clearInterval(timer); timer = null; }
    else {
      if (frame >= n) show(0);
      timer = setInterval(function () {
        if (frame >= n) { play(); return; }
        show(frame + 1);
      }, 900);
    }
    document.getElementById("play").textContent = timer ? "pause" : "play";
  }

  function fromHash() {
    var m = /step=(\d+)/.exec(location.hash);
    return m ? parseInt(m[1], 10) : 0;
  }

  document.getElementById("first").onclick = function () { show(0); };
  document.getElementById("prev").onclick = function () { show(frame - 1); };
  document.getElementById("next").onclick = function () { show(frame + 1); };
  document.getElementById("last").onclick = function () { show(n); };
  document.getElementById("play").onclick = play;
  slider.oninput = function () { show(parseInt(slider.value, 10)); };
  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight") show(frame + 1);
    else if (e.key === "ArrowLeft") show(frame - 1);
    else if (e.key === "Home") show(0);
    else if (e.key === "End") show(n);
    else if (e.key === " ") play();
    else return;
    e.preventDefault();
  });
  window.addEventListener("hashchange", function () {
    if (fromHash() !== frame) show(fromHash());
  });
  show(fromHash());
})();
</script>
</body>
</html>
"""
