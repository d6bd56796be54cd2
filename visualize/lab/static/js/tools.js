// The teaching tools on a graph, shared by expression and network mode: explain (hover an
// edge, click a value), step (backward one edge at a time) and check (your own derivative).
import { clear, debounce, h } from "./dom.js";
import { ExercisePanel } from "./exercises.js";
import { fmt, t } from "./i18n.js";
import { renderMath, renderWrapped } from "./math.js";

const TOOLS = ["explain", "step", "check"];

export class Tools {
  constructor(lab, mode, pane, onChange) {
    this.lab = lab;
    this.mode = mode;
    this.pane = pane;
    this.onChange = onChange || (() => {});
    this.graph = null;
    this.tool = "explain";
    this.steps = null;
    this.stepIndex = 0;
    this.explained = null;      // record id whose explanation is shown
    this.hoverCache = new Map();
    this.build();
    pane.onEdgeHover = (id, event) => this.hover(id, event);
    pane.onEdgeLeave = () => this.unhover();
  }

  build() {
    const tab = (name) => h("button", { type: "button", role: "tab", className: "tab",
                                        testid: `tool-${name}`,
                                        onclick: () => this.select(name) },
                           t(`${name}_heading`));
    this.tabs = Object.fromEntries(TOOLS.map((name) => [name, tab(name)]));
    this.lr = h("input", { type: "number", step: "0.01", min: "0", value: "0.1",
                           testid: "lr", className: "small-number",
                           "aria-label": t("learning_rate_label"),
                           oninput: () => this.explained && this.explainValue(this.explained) });
    this.valueBox = h("div", { className: "explain-value", testid: "explain-value" });
    this.sections = {
      explain: h("div", { className: "tool-body" },
        h("div", { className: "tool-row" },
          h("p", { className: "hint", text: t("explain_hint") }),
          h("label", { className: "inline" }, t("learning_rate_label"), " ", this.lr)),
        this.valueBox),
      step: this.buildStep(),
      check: this.buildCheck(),
    };
    this.el = h("section", { className: "tools" },
      h("div", { className: "tabs", role: "tablist" }, TOOLS.map((n) => this.tabs[n])),
      TOOLS.map((n) => this.sections[n]));
    this.tooltip = h("div", { className: "tooltip", testid: "explain-edge", hidden: true });
    this.el.append(this.tooltip);
    this.select("explain", false);
  }

  buildStep() {
    const button = (id, label, fn) => h("button", { type: "button", testid: id, onclick: fn },
                                        label);
    this.counter = h("span", { className: "counter", testid: "step-counter" });
    this.stepText = h("div", { className: "step-text", testid: "step-text" });
    this.stepWhy = h("div", { className: "step-why", testid: "step-why" });
    this.stepCollect = h("div", { className: "step-collect", testid: "step-collect" });
    this.stepNote = h("p", { className: "hint", testid: "step-note", hidden: true });
    this.stepFull = h("button", { type: "button", testid: "step-full-view", hidden: true,
                                  onclick: () => this.onFullView && this.onFullView() },
                      t("step_full_view"));
    return h("div", { className: "tool-body" },
      h("div", { className: "tool-row" },
        button("step-first", t("step_first"), () => this.goStep(0)),
        button("step-prev", t("step_prev"), () => this.goStep(this.stepIndex - 1)),
        button("step-next", t("step_next"), () => this.goStep(this.stepIndex + 1)),
        button("step-last", t("step_last"), () => this.goStep(Infinity)),
        this.counter, h("span", { className: "hint step-keys", text: t("step_keys") })),
      this.stepNote, this.stepFull, this.stepText, this.stepWhy, this.stepCollect);
  }

  buildCheck() {
    this.wrt = h("select", { testid: "check-wrt", "aria-label": t("check_wrt_label"),
                             onchange: () => { this.refreshCheckLabels(); this.onChange(); } });
    this.checkInput = h("input", { type: "text", testid: "check-input", spellcheck: "false",
                                   autocomplete: "off", className: "formula-input",
                                   placeholder: t("check_input_placeholder"),
                                   onkeydown: (e) => { if (e.key === "Enter") this.runCheck(); },
                                   oninput: debounce(() => this.onChange(), 300) });
    this.checkLabel = h("span", { className: "check-label" });
    this.checkNames = h("p", { className: "hint", testid: "check-names" });
    this.verdict = h("div", { className: "verdict", testid: "check-verdict" });
    this.checkHint = h("p", { className: "hint" });
    this.ownCheck = h("div", { className: "own-check" },
      this.checkHint,
      h("div", { className: "tool-row" },
        h("label", { className: "inline" }, t("check_wrt_label"), " ", this.wrt),
        this.checkLabel, this.checkInput,
        h("button", { type: "button", testid: "check-run", onclick: () => this.runCheck() },
          t("check_run"))),
      this.checkNames, this.verdict);
    this.exercises = new ExercisePanel(this.lab, () => this.onChange());
    const source = (name, testid) => h("button", { type: "button", className: "segment",
                                                   testid, role: "radio",
                                                   onclick: () => this.checkFrom(name) },
                                       t(`check_source_${name}`));
    this.sources = { own: source("own", "check-own"),
                     exercises: source("exercises", "check-exercises") };
    this.checkFrom("own", false);
    return h("div", { className: "tool-body" },
      h("div", { className: "segments", role: "radiogroup" }, Object.values(this.sources)),
      this.ownCheck, this.exercises.el);
  }

  // Check your own derivative of this graph, or the exercises (their own values).
  checkFrom(name, notify = true) {
    this.checkSource = name;
    for (const [n, button] of Object.entries(this.sources)) {
      button.setAttribute("aria-checked", String(n === name));
    }
    this.ownCheck.hidden = name !== "own";
    this.exercises.el.hidden = name !== "exercises";
    if (this.el) this.el.dataset.source = this.tool === "check" ? name : "";
    if (name === "exercises" && this.tool === "check") this.exercises.ensure();
    if (notify) this.onChange();
  }

  select(name, notify = true) {
    if (!TOOLS.includes(name)) return;
    this.tool = name;
    for (const n of TOOLS) {
      this.tabs[n].setAttribute("aria-selected", String(n === name));
      this.sections[n].hidden = n !== name;
    }
    if (name === "step") this.enterStep();
    else this.pane.endStep();
    this.el.dataset.source = name === "check" ? this.checkSource : "";
    if (name === "check" && this.checkSource === "exercises") this.exercises.ensure();
    if (notify) this.onChange();
  }

  // A new graph (every recompute): caches are dropped, the open tool follows it.
  async setGraph(graph, targets) {
    this.graph = graph;
    this.hoverCache.clear();
    this.steps = null;
    this.setTargets(targets || []);
    if (this.tool === "step") await this.enterStep();
    if (this.explained && graph && graph.nodes[this.explained]) {
      await this.explainValue(this.explained);
    } else {
      this.explained = null;
      this.pane.select(null);
      clear(this.valueBox);
    }
  }

  // -- explain -------------------------------------------------------------------------------

  hover(edgeId, event) {
    this.hoverAt = [event.clientX, event.clientY];
    this.hoverId = edgeId;
    clearTimeout(this.hoverTimer);
    this.hoverTimer = setTimeout(() => this.showHover(edgeId), 60);
  }

  unhover() {
    this.hoverId = null;
    clearTimeout(this.hoverTimer);
    this.tooltip.hidden = true;
  }

  async showHover(edgeId) {
    if (!this.graph) return;
    const key = `${this.graph.version}:${edgeId}`;
    let result = this.hoverCache.get(key);
    if (!result) {
      try {
        result = await this.lab.call("graph.explain_edge", { mode: this.mode, edge: edgeId,
                                                             version: this.graph.version });
      } catch (e) {
        return;   // a picture that was just replaced: nothing to show
      }
      this.hoverCache.set(key, result);
    }
    if (this.hoverId !== edgeId) return;
    clear(this.tooltip);
    if (result.collapsed) {
      this.tooltip.append(h("div", { className: "caption", text: t("explain_edge_collapsed") }));
    } else {
      this.tooltip.append(h("div", { className: "caption",
                                     text: t("explain_edge_caption", { op: result.op }) }));
      this.tooltip.append(renderMath(h("div", { className: "math" }), result.latex, true));
      this.tooltip.dataset.local = String(result.local);
    }
    this.tooltip.hidden = false;
    // Anchored on the side with more room, so it grows away from the edge (its width changes
    // once KaTeX's fonts have loaded).
    const [x, y] = this.hoverAt;
    const style = this.tooltip.style;
    const [left, top, right, bottom] = fixedBox(this.tooltip);
    const onRight = x > window.innerWidth / 2;
    style.left = onRight ? "auto" : `${x - left + 14}px`;
    style.right = onRight ? `${right - x + 14}px` : "auto";
    const below = y < window.innerHeight * 0.6;
    style.top = below ? `${y - top + 18}px` : "auto";
    style.bottom = below ? "auto" : `${bottom - y + 18}px`;
  }

  async explainValue(nodeId) {
    if (!this.graph) return;
    this.explained = nodeId;
    if (this.tool !== "explain") this.select("explain");
    const lr = parseFloat(this.lr.value);
    let result;
    try {
      result = await this.lab.call("graph.explain_value", {
        mode: this.mode, node: nodeId, version: this.graph.version,
        lr: Number.isFinite(lr) && lr >= 0 ? lr : 0.1 });
    } catch (e) {
      if (e.id !== "no_graph") this.lab.report(e);
      return;
    }
    clear(this.valueBox);
    this.pane.select(nodeId);
    this.valueBox.dataset.node = nodeId;
    this.valueBox.dataset.grad = String(result.grad);
    if (result.root) {
      this.valueBox.append(h("p", { text: t("explain_value_root", { name: result.name }) }));
      return;
    }
    const paths = h("div", { className: "paths" },
      h("p", { className: "caption", text: t("explain_value_caption", { output: result.output,
                                                                       name: result.name }) }));
    if (result.summarized) {
      paths.append(h("p", { className: "hint",
                            text: t("explain_value_summary", { count: result.paths }) }));
    }
    paths.append(renderWrapped(h("div", { className: "math display" }), result.latex));
    this.valueBox.append(paths);
    if (result.sgd) {
      this.valueBox.append(h("div", { className: "sgd" },
        h("p", { className: "caption", text: t("explain_sgd_caption", { lr: result.sgd.lr }) }),
        renderWrapped(h("div", { className: "math display", testid: "sgd",
                                 "data-after": String(result.sgd.after) }),
                      result.sgd.latex)));
    }
  }

  // -- step ----------------------------------------------------------------------------------

  async enterStep() {
    if (!this.graph) return;
    if (!this.steps || this.steps.version !== this.graph.version) {
      try {
        this.steps = await this.lab.call("graph.steps", { mode: this.mode,
                                                          version: this.graph.version });
        this.stepNote.hidden = true;
        this.stepFull.hidden = true;
      } catch (e) {
        this.steps = null;
        this.stepNote.hidden = false;
        this.stepNote.textContent = t(e.id, e.params);
        this.stepFull.hidden = !(e.id === "steps_need_full_view" && this.onFullView);
        clear(this.stepText);
        this.counter.textContent = "";
        return;
      }
    }
    this.goStep(this.stepIndex, false);
  }

  // ← and → step one edge back and on, Home and End go to the seed and to done; never while
  // the learner types in a field or moves a slider (the key is theirs then).
  keyStep(event) {
    if (this.tool !== "step" || !this.steps || !this.el.isConnected) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) {
      return;
    }
    const to = { ArrowRight: this.stepIndex + 1, ArrowLeft: this.stepIndex - 1, Home: 0,
                 End: Infinity }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    event.stopPropagation();   // a notebook's own arrow keys stay out of it
    this.goStep(to);
  }

  goStep(k, notify = true) {
    if (!this.steps) return;
    const frames = this.steps.frames;
    const last = frames.length + 1;
    this.stepIndex = Math.max(0, Math.min(last, k));
    const grads = {};
    for (const id of Object.keys(this.graph.nodes)) grads[id] = 0;
    grads[this.steps.root] = 1;
    for (const f of frames.slice(0, Math.min(this.stepIndex, frames.length))) {
      grads[f.parent] = f.total;
    }
    const frame = this.stepIndex >= 1 && this.stepIndex <= frames.length
      ? frames[this.stepIndex - 1] : null;
    this.pane.setStep(grads, frame, this.steps.biggest, this.graph.palette, this.steps.groups);
    this.counter.textContent = t("step_counter", { k: this.stepIndex, n: last });
    const root = this.steps.root_name;
    this.stepWhy.textContent = "";
    this.stepCollect.textContent = "";
    if (this.stepIndex === 0) {
      this.stepText.textContent = t("step_seed", { root });
    } else if (!frame) {
      this.stepText.textContent = t("step_done", { root });
    } else {
      this.stepText.textContent = t("step_text", {
        parent: frame.parent_name, local: fmt(frame.local), grad: fmt(frame.grad),
        contribution: fmt(frame.contribution), total: fmt(frame.total) });
      this.stepWhy.textContent = t("step_why", {
        node: frame.node_name, parent: frame.parent_name, local: fmt(frame.local),
        op: frame.op_name, grad: fmt(frame.grad) });
      if (frame.uses > 1) {
        this.stepCollect.textContent = t("step_collect", { parent: frame.parent_name,
                                                           uses: frame.uses, k: frame.k });
      }
    }
    this.stepText.dataset.index = String(this.stepIndex);
    if (notify) this.onChange();
  }

  // -- check ---------------------------------------------------------------------------------

  setTargets(targets) {
    const previous = this.wrt.value || this.pendingWrt;
    clear(this.wrt);
    for (const target of targets) {
      this.wrt.append(h("option", { value: target.name, text: target.name }));
    }
    this.targets = targets;
    if (targets.some((x) => x.name === previous)) this.wrt.value = previous;
    this.pendingWrt = null;
    this.refreshCheckLabels();
  }

  refreshCheckLabels() {
    const output = (this.graph && this.graph.output) || "out";
    const name = this.wrt.value || "…";
    this.checkHint.textContent = t("check_hint", { output });
    this.checkLabel.textContent = t("check_input_label", { output, name });
    const names = (this.targets || []).map((x) => x.formula);
    this.checkNames.textContent = names.length
      ? t("check_names", { names: names.concat([output]).join(", ") }) : "";
  }

  async runCheck() {
    const formula = this.checkInput.value;
    if (!formula.trim() || !this.wrt.value) return;
    clear(this.verdict);
    this.verdict.dataset.ok = "running";
    this.verdict.append(h("p", { className: "hint", text: t("check_running") }));
    let result;
    try {
      result = await this.lab.call("graph.check", { mode: this.mode, wrt: this.wrt.value,
                                                    formula });
    } catch (e) {
      clear(this.verdict);
      this.verdict.dataset.ok = "error";
      this.verdict.append(h("p", { className: "error", text: t(e.id, e.params) }));
      return;
    }
    clear(this.verdict);
    this.verdict.dataset.ok = String(result.ok);
    const text = h("div", { className: "verdict-text" });
    this.verdict.append(text);
    if (result.ok) {
      text.append(h("p", { className: "right",
                           text: t("check_right", { head: result.head,
                                                    points: result.points }) }));
      if (result.symbolic === true) text.append(h("p", { text: t("check_proved") }));
      if (result.symbolic === null) text.append(h("p", { text: t("check_not_proved") }));
    } else {
      text.append(h("p", { className: "wrong",
                           text: result.confirmed ? t("check_wrong")
                             : t("check_unconfirmed", { head: result.head }) }));
      const list = h("ul", { className: "diagnoses" });
      for (const d of result.diagnoses) {
        const params = { head: result.head, points: result.points, count: d.count,
                         factor: d.factor };
        const item = h("li", { "data-kind": d.kind, text: t(`diag_${d.kind}`, params) });
        if (d.latex) item.append(" ", renderMath(h("span"), d.latex));
        list.append(item);
      }
      text.append(list);
    }
    this.verdict.append(checkTable(result.table));
    this.onChange();
  }

  // -- state for the URL ---------------------------------------------------------------------

  state() {
    const s = { tool: this.tool };
    if (this.tool === "step") s.step = String(this.stepIndex);
    if (this.wrt.value) s.wrt = this.wrt.value;
    if (this.checkInput.value) s.check = this.checkInput.value;
    if (this.checkSource === "exercises") Object.assign(s, this.exercises.state());
    return s;
  }

  restore(s) {
    if (s.step) this.stepIndex = parseInt(s.step, 10) || 0;
    if (s.wrt) this.pendingWrt = s.wrt;
    if (s.check) this.checkInput.value = s.check;
    this.exercises.restore(s);
    this.checkFrom(s.ex !== undefined || s.exseed !== undefined ? "exercises" : "own", false);
    if (s.tool) this.select(s.tool, false);
  }
}

function checkTable(rows) {
  const table = h("table", { className: "check-table" },
    h("tr", {}, h("th", { text: t("check_table_point") }),
      h("th", { text: t("check_table_formula") }), h("th", { text: t("check_table_engine") })));
  for (const row of rows || []) {
    const name = row.name === "current" ? t("check_point_current")
      : t("check_point_random", { k: row.name.replace(/\D/g, "") });
    table.append(h("tr", { className: row.ok ? "ok" : "bad" },
      h("td", { text: name }), h("td", { text: fmt(row.formula) }),
      h("td", { text: fmt(row.engine) })));
  }
  return table;
}

// Where a position: fixed element's box lies, in viewport pixels: the viewport itself, except
// inside an ancestor with a transform or containment (a notebook's output area), which then
// holds it. Measured by placing the element at each edge in turn.
function fixedBox(el) {
  const { left, top, right, bottom } = el.style;
  Object.assign(el.style, { left: "0px", top: "0px", right: "auto", bottom: "auto" });
  const start = el.getBoundingClientRect();
  Object.assign(el.style, { left: "auto", top: "auto", right: "0px", bottom: "0px" });
  const end = el.getBoundingClientRect();
  Object.assign(el.style, { left, top, right, bottom });
  return [start.left, start.top, end.right, end.bottom];
}
