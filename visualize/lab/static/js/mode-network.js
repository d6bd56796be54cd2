// Network mode: one sample through a network, its loss, the network diagram (click a weight
// or a neuron for a slider of it) and the loss graph in draw_dot's views (click a collapsed
// neuron to expand it in place), with the same tools as expression mode.
import { clear, debounce, field, h, latestOnly, selectBox } from "./dom.js";
import { fmt, t } from "./i18n.js";
import { GraphPane } from "./graph-pane.js";
import { Tools } from "./tools.js";
import { gradText, ValueRow } from "./value-row.js";

const VIEWS = ["full", "neuron", "layer", "plate"];

export class NetworkMode {
  constructor(lab) {
    this.lab = lab;
    this.name = "network";
    this.presets = lab.init.presets;
    this.activations = lab.init.activations;
    this.setup = { preset: "seed", ...this.presets.seed };
    this.view = null;               // null: the session picks (full for small networks)
    this.expanded = [];
    this.show = "weights";
    this.weights = new Map();       // label -> value, for the weights given a slider
    this.rows = new Map();          // label -> ValueRow
    this.result = null;
    this.send = latestOnly(() => this.update());
    this.build();
  }

  build() {
    const select = (testid, options, label, onchange) => selectBox(testid, options, onchange,
                                                                   label);
    const presetOptions = Object.keys(this.presets).map((p) => [p, t(`preset_${p}`)]);
    this.preset = select("network-preset", [...presetOptions, ["custom", t("preset_custom")]],
                         t("network_preset_label"), () => this.choosePreset());
    this.sizes = h("input", { type: "text", testid: "network-sizes", spellcheck: "false",
                              oninput: debounce(() => this.changeSizes(), 300) });
    const acts = this.activations.map((a) => [a, a]);
    this.activation = select("network-activation", acts, t("activation_label"),
                             () => this.changed());
    this.outputActivation = select("network-output-activation", acts,
                                   t("output_activation_label"), () => this.changed());
    this.seed = h("input", { type: "number", testid: "network-seed", min: "0", step: "1",
                             oninput: debounce(() => this.changed(), 250) });
    this.error = h("div", { className: "error", testid: "network-error", role: "alert" });
    this.sample = h("div", { className: "sample", testid: "sample" });
    this.loss = h("div", { className: "loss-line", testid: "network-loss" });
    this.prediction = h("div", { className: "hint", testid: "network-prediction" });
    this.viewSelect = select("view", VIEWS.map((v) => [v, t(`view_${v}`)]), t("view_label"),
                             () => { this.view = this.viewSelect.value; this.changed(); });
    this.showSelect = select("show", [["weights", t("show_weights")],
                                      ["grads", t("show_grads")]], t("show_label"),
                             () => { this.show = this.showSelect.value; this.changed(); });
    this.weightRows = h("div", { className: "weights", testid: "weights" });
    const label = field;
    this.side = h("div", { className: "side-mode" },
      h("div", { className: "form-grid" },
        label(t("network_preset_label"), this.preset, true),
        label(t("sizes_label"), this.sizes, true),
        label(t("activation_label"), this.activation),
        label(t("output_activation_label"), this.outputActivation),
        label(t("seed_label"), this.seed)),
      this.error,
      h("h2", { text: t("sample_heading") }),
      this.sample, this.loss, this.prediction,
      h("h2", { text: t("weights_heading") }),
      h("p", { className: "hint", text: t("weights_hint") }),
      this.weightRows);
    const widen = (which) => () => {
      this.main.dataset.wide = this.main.dataset.wide === which ? "" : which;
    };
    this.diagram = new GraphPane({ testid: "network-diagram", title: t("pane_network"),
                                   engine: "neato", onWiden: widen("diagram"),
                                   onNodeClick: (id, node) => this.pickWeight(node),
                                   onEdgeClick: (id) => this.pickWeight(
                                     this.result && this.result.diagram.nodes[id]) });
    this.graph = new GraphPane({ testid: "network-graph", title: t("pane_graph"),
                                 onWiden: widen("graph"),
                                 onNodeClick: (id, node) => this.clickGraph(id, node) });
    this.graph.toolbar.insertBefore(h("span", { className: "pane-controls" },
      this.viewSelect, this.showSelect,
      h("button", { type: "button", className: "pane-tool", testid: "expand-reset",
                    onclick: () => { this.expanded = []; this.changed(); } },
        t("expand_reset"))), this.graph.toolbar.children[1]);
    this.tools = new Tools(this.lab, "network", this.graph, () => this.lab.saveState());
    this.tools.onFullView = () => {
      this.view = "full";
      this.changed();
    };
    this.diagram.el.dataset.pane = "diagram";
    this.graph.el.dataset.pane = "graph";
    // The loss graph (wide: one rank per step of the chain) across the top; the diagram and
    // the tools share the bottom.
    this.panes = h("div", { className: "panes network-bottom", testid: "network-panes" },
                   this.diagram.el, this.tools.el);
    this.main = h("div", { className: "main-mode main-network" }, this.graph.el, this.panes);
  }

  // -- what the page sends -------------------------------------------------------------------

  params() {
    const weights = Object.fromEntries(this.weights);
    const p = { preset: this.setup.preset, sizes: this.setup.sizes,
                activation: this.setup.activation,
                output_activation: this.setup.output_activation, seed: this.setup.seed,
                x: this.setup.x, y: this.setup.y, weights, expanded: this.expanded,
                show: this.show };
    if (this.view) p.view = this.view;
    return p;
  }

  async activate(state) {
    if (state) this.restore(state);
    this.fillForm();
    await this.update();
  }

  async rebuild() {
    await this.update();
  }

  async update() {
    let result;
    try {
      result = await this.lab.call("network.set", this.params());
    } catch (e) {
      this.error.textContent = t(e.id, e.params);
      this.lab.saveState();
      return;
    }
    this.error.textContent = "";
    this.result = result;
    this.setup = { ...this.setup, sizes: result.sizes, x: result.x, y: result.y };
    this.viewSelect.value = result.graph.view;
    this.showSample(result);
    this.loss.textContent = t("network_loss", { loss: fmt(result.loss) });
    this.loss.dataset.value = String(result.loss);
    this.prediction.textContent = t("network_prediction", { value: fmt(result.y_hat) });
    this.showWeights(result.weights);
    const graph = result.graph;
    this.graph.showNote(graph.note ? t(graph.note.id, graph.note.params)
      : result.samples > 1 ? t("plate_samples", { samples: result.samples }) : "");
    await Promise.all([
      this.diagram.show(result.diagram.dot, { nodes: result.diagram.nodes, version: graph.version },
                        "neato"),
      this.graph.show(graph.dot, graph)]);
    this.markWeights();
    await this.tools.setGraph(graph, result.check_targets);
    this.main.dataset.version = String(graph.version);   // the whole view is redrawn
    this.lab.saveState();
  }

  changed() {
    this.setup = { ...this.setup, activation: this.activation.value,
                   output_activation: this.outputActivation.value,
                   seed: Math.max(0, parseInt(this.seed.value, 10) || 0) };
    this.send();
  }

  // -- the form ------------------------------------------------------------------------------

  fillForm() {
    this.preset.value = this.setup.preset;
    this.sizes.value = this.setup.sizes.join("-");
    this.activation.value = this.setup.activation;
    this.outputActivation.value = this.setup.output_activation;
    this.seed.value = String(this.setup.seed);
    this.showSelect.value = this.show;
  }

  choosePreset() {
    const name = this.preset.value;
    if (this.presets[name]) {
      this.setup = { preset: name, ...this.presets[name] };
      this.view = null;
      this.expanded = [];
      this.weights.clear();
      this.fillForm();
      this.send();
    } else {
      this.setup.preset = "custom";
    }
  }

  changeSizes() {
    const sizes = this.sizes.value.split(/[-,\s]+/).filter(Boolean).map(Number);
    if (sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
      this.sizes.setAttribute("aria-invalid", "true");
      this.error.textContent = t("sizes_bad");
      return;
    }
    this.sizes.removeAttribute("aria-invalid");
    this.error.textContent = "";
    this.preset.value = "custom";
    this.setup = { ...this.setup, preset: "custom", sizes };
    this.weights.clear();
    this.expanded = [];
    this.send();
  }

  showSample(result) {
    const names = result.x.map((_, j) => `x_${j + 1}`).concat(["y"]);
    const current = [...this.sample.querySelectorAll("input")].map((i) => i.dataset.name);
    if (current.join() !== names.join()) {
      clear(this.sample);
      names.forEach((name, j) => {
        const input = h("input", { type: "number", step: "any", testid: `value-${name}`,
                                   "data-name": name });
        input.addEventListener("input", () => {
          const v = parseFloat(input.value);
          if (!Number.isFinite(v)) return;
          if (name === "y") this.setup.y = v;
          else this.setup.x = this.setup.x.map((old, i) => (i === j ? v : old));
          this.send();
        });
        this.sample.append(h("label", {}, name === "y" ? t("target_label") : name, input));
      });
    }
    const values = result.x.concat([result.y]);
    this.sample.querySelectorAll("input").forEach((input, j) => {
      if (document.activeElement !== input && parseFloat(input.value) !== values[j]) {
        input.value = String(values[j]);
      }
    });
  }

  // -- weights with sliders ------------------------------------------------------------------

  pickWeight(node) {
    if (!node || !node.label || !this.result) return;
    const label = node.label;
    if (!this.weights.has(label)) {
      this.weights.set(label, this.result.weights[label].value);
      this.showWeights(this.result.weights);
      this.markWeights();
      this.lab.saveState();
    }
    const row = this.rows.get(label);
    if (row) row.number.focus();
  }

  showWeights(all) {
    for (const [label, row] of this.rows) {
      if (!this.weights.has(label)) {
        row.el.remove();
        this.rows.delete(label);
      }
    }
    for (const label of this.weights.keys()) {
      if (!all[label]) continue;
      let row = this.rows.get(label);
      if (!row) {
        row = new ValueRow({
          name: label, value: this.weights.get(label), className: "leaf weight-row",
          kind: "parameter",
          onInput: (x) => { this.weights.set(label, x); this.send(); },
          onRemove: () => {
            this.weights.delete(label);
            this.showWeights(all);
            this.markWeights();
            this.lab.saveState();
          } });
        this.rows.set(label, row);
        this.weightRows.append(row.el);
      }
      row.set(this.weights.get(label));
      row.setGrad(all[label].grad, gradText("L", label, all[label].grad));
    }
  }

  // The weights with a slider are marked in the diagram.
  markWeights() {
    const svg = this.diagram.svg;
    if (!svg || !this.result) return;
    for (const el of svg.querySelectorAll(".chosen")) el.classList.remove("chosen");
    for (const [id, node] of Object.entries(this.result.diagram.nodes)) {
      if (this.weights.has(node.label)) {
        const el = svg.querySelector(`g#${CSS.escape(id)}`);
        if (el) el.classList.add("chosen");
      }
    }
  }

  clickGraph(id, node) {
    if (node.click === "expand") {
      const label = node.label;
      if (!this.expanded.includes(label)) this.expanded = [...this.expanded, label];
      this.changed();
    } else if (node.click === "explain") {
      this.tools.explainValue(id);
    }
  }

  // -- state ---------------------------------------------------------------------------------

  state() {
    const s = { net: this.setup.sizes.join("-"), preset: this.setup.preset,
                act: this.setup.activation, out: this.setup.output_activation,
                seed: String(this.setup.seed), x: this.setup.x.join(","),
                y: String(this.setup.y), show: this.show };
    if (this.view) s.view = this.view;
    if (this.expanded.length) s.exp = this.expanded.join(",");
    if (this.weights.size) {
      s.w = [...this.weights].map(([label, v]) => `${label}:${v}`).join(";");
    }
    return { ...s, ...this.tools.state() };
  }

  restore(s) {
    const preset = this.presets[s.preset] ? s.preset : "custom";
    const base = this.presets[s.preset] || this.presets.seed;
    const numbers = (text) => (text || "").split(",").map(Number).filter(Number.isFinite);
    const sizes = s.net ? s.net.split("-").map(Number) : base.sizes;
    this.setup = { preset: s.preset ? preset : "seed", sizes,
                   activation: s.act || base.activation,
                   output_activation: s.out || base.output_activation,
                   seed: s.seed !== undefined ? parseInt(s.seed, 10) || 0 : base.seed,
                   x: s.x ? numbers(s.x) : base.x,
                   y: s.y !== undefined && Number.isFinite(parseFloat(s.y)) ? parseFloat(s.y)
                     : base.y };
    this.view = VIEWS.includes(s.view) ? s.view : null;
    this.expanded = s.exp ? s.exp.split(",").filter(Boolean) : [];
    this.show = s.show === "grads" ? "grads" : "weights";
    this.weights.clear();
    for (const pair of (s.w || "").split(";")) {
      const at = pair.lastIndexOf(":");
      const value = parseFloat(pair.slice(at + 1));
      if (at > 0 && Number.isFinite(value)) this.weights.set(pair.slice(0, at), value);
    }
    this.tools.restore(s);
  }

  exportSvg() {
    return this.graph.svgText();
  }
}
