// Train mode: mini-batch SGD on the engine, step by step or playing; the loss curve, the
// decision boundary, the network diagram with its weights changing, and one weight's gradient.
import { clear, field, h, selectBox } from "./dom.js";
import { fmt, t } from "./i18n.js";
import { GraphPane } from "./graph-pane.js";
import { renderWrapped } from "./math.js";
import { drawBoundary, drawFit, drawLossCurve } from "./plots.js";

const TARGET_MS = 150;       // a playing request trains about this long
const DIAGRAM_EVERY_MS = 400;

export class TrainMode {
  constructor(lab) {
    this.lab = lab;
    this.name = "train";
    this.datasets = lab.init.datasets;
    this.limits = lab.init.limits;
    this.setup = { dataset: "moons", ...this.datasets.moons, seed: 0 };
    this.playing = false;
    this.result = null;
    this.points = null;
    this.build();
  }

  build() {
    const select = selectBox;
    const changed = () => this.reset();
    this.dataset = select("train-dataset",
                          Object.keys(this.datasets).map((d) => [d, t(`dataset_${d}`)]),
                          () => this.chooseDataset());
    this.csv = h("textarea", { className: "csv", testid: "train-csv", spellcheck: "false",
                               placeholder: t("csv_placeholder"), hidden: true });
    // A paste larger than the limit is refused as it happens: it never fills the box.
    this.csv.addEventListener("paste", (event) => {
      const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
      if (text.length + this.csv.value.length > this.limits.csv_chars) {
        event.preventDefault();
        this.error.textContent = t("csv_too_long", { count: text.length,
                                                     limit: this.limits.csv_chars });
        this.error.dataset.id = "csv_too_long";
      }
    });
    this.csvLabel = h("label", { className: "wide", hidden: true }, t("csv_label"), this.csv);
    this.hidden = h("input", { type: "text", testid: "train-hidden", onchange: changed });
    const acts = this.lab.init.activations.map((a) => [a, a]);
    this.activation = select("train-activation", acts, changed);
    this.outputActivation = select("train-output-activation", acts, changed);
    this.lossSelect = select("train-loss", this.lab.init.losses.map((l) => [l, t(`loss_${l}`)]),
                             changed);
    this.lr = h("input", { type: "number", testid: "train-lr", step: "any", min: "0",
                           onchange: changed });
    this.batch = h("input", { type: "number", testid: "train-batch", step: "1", min: "1",
                              onchange: changed });
    this.seed = h("input", { type: "number", testid: "train-seed", step: "1", min: "0",
                             onchange: changed });
    this.playButton = h("button", { type: "button", className: "primary", testid: "train-play",
                                    onclick: () => (this.playing ? this.pause() : this.play()) },
                        t("train_play"));
    this.stepButton = h("button", { type: "button", testid: "train-step",
                                    onclick: () => this.stepOnce() }, t("train_step"));
    this.error = h("div", { className: "error", testid: "train-error", role: "alert" });
    this.status = h("div", { className: "train-status", testid: "train-status" });
    this.loss = h("div", { className: "loss-line", testid: "loss" });
    this.accuracy = h("div", { className: "train-status", testid: "train-accuracy" });
    const label = field;
    this.side = h("div", { className: "side-mode" },
      h("div", { className: "form-grid" },
        label(t("dataset_label"), this.dataset, true),
        this.csvLabel,
        label(t("layers_label"), this.hidden, true),
        label(t("activation_label"), this.activation),
        label(t("output_activation_label"), this.outputActivation),
        label(t("loss_label"), this.lossSelect, true),
        label(t("lr_label"), this.lr),
        label(t("batch_label"), this.batch),
        label(t("seed_label"), this.seed)),
      h("div", { className: "buttons" },
        h("button", { type: "button", testid: "train-setup", onclick: () => this.reset() },
          t("train_setup")),
        this.playButton, this.stepButton),
      this.error, this.loss, this.accuracy, this.status);
    this.curve = h("canvas", { testid: "train-curve" });
    this.plot = h("canvas", { testid: "train-boundary" });
    this.plotTitle = h("span", { className: "pane-title", text: t("train_boundary") });
    this.diagram = new GraphPane({ testid: "train-diagram", title: t("train_diagram"),
                                   engine: "neato", fitWhole: true,
                                   onNodeClick: (id, node) => this.choose(node),
                                   onEdgeClick: (id) => this.choose(
                                     this.result && this.result.diagram &&
                                     this.result.diagram.nodes[id]) });
    this.chosen = h("div", { className: "chosen", testid: "train-chosen" },
      h("p", { className: "hint", text: t("train_chosen_hint") }));
    // The network diagram takes the height of the page (a 2-16-16-1 network is readable at
    // fit there); the plots and the chosen weight's gradient share a column beside it.
    this.main = h("div", { className: "main-mode main-train" },
      this.diagram.el,
      h("div", { className: "train-column" },
        h("div", { className: "chart chart-curve" },
          h("span", { className: "pane-title", text: t("train_curve") }), this.curve),
        h("div", { className: "chart chart-plot" }, this.plotTitle, this.plot),
        this.chosen));
    new ResizeObserver(() => this.drawPlots()).observe(this.main);
  }

  // -- the form ------------------------------------------------------------------------------

  fillForm() {
    const s = this.setup;
    this.dataset.value = s.dataset;
    this.csv.hidden = this.csvLabel.hidden = s.dataset !== "csv";
    this.hidden.value = s.hidden.join(",");
    this.activation.value = s.activation;
    this.outputActivation.value = s.output_activation;
    this.lossSelect.value = s.loss;
    this.lr.value = String(s.lr);
    this.batch.value = String(s.batch);
    this.seed.value = String(s.seed);
  }

  chooseDataset() {
    const name = this.dataset.value;
    this.setup = { dataset: name, ...this.datasets[name], seed: this.setup.seed };
    this.fillForm();
    if (name !== "csv" || this.csv.value.trim()) this.reset();
  }

  readForm() {
    const hidden = this.hidden.value.split(/[-,\s]+/).filter(Boolean).map(Number);
    if (!hidden.every((n) => Number.isInteger(n) && n >= 1)) {
      throw { id: "layers_bad", params: { limit: this.limits.layer_size,
                                          layers: this.limits.hidden_layers } };
    }
    return { ...this.setup, dataset: this.dataset.value, hidden,
             activation: this.activation.value, output_activation: this.outputActivation.value,
             loss: this.lossSelect.value, lr: parseFloat(this.lr.value),
             batch: parseInt(this.batch.value, 10), seed: parseInt(this.seed.value, 10) || 0 };
  }

  // -- training ------------------------------------------------------------------------------

  async activate(state) {
    if (state) this.restore(state);
    this.fillForm();
    if (state && state.keep && await this.keepRun()) return;
    await this.reset();
  }

  // The session's run as it is (the page built again in another language): no reset.
  async keepRun() {
    let result;
    try {
      result = await this.lab.call("train.view", {});
    } catch (e) {
      return false;
    }
    this.points = result.points;
    this.render(result);
    return true;
  }

  async rebuild() {
    await this.reset();
  }

  deactivate() {
    this.pause();
  }

  async reset() {
    this.pause();
    let params;
    try {
      params = this.readForm();
      if (params.dataset === "csv") {
        const text = this.csv.value;
        // the size is checked here too, so a huge paste is refused before it is sent
        if (text.length > this.limits.csv_chars) {
          throw { id: "csv_too_long", params: { count: text.length,
                                                limit: this.limits.csv_chars } };
        }
        params.csv = text;
      }
      this.setup = { ...params };
      delete this.setup.csv;
      const result = await this.lab.call("train.setup", params);
      this.error.textContent = "";
      this.points = result.points;
      this.render(result);
      if (this.chosenLabel) await this.choose({ label: this.chosenLabel });
    } catch (e) {
      this.error.textContent = t(e.id, e.params);
      this.error.dataset.id = e.id;
    }
    this.lab.saveState();
  }

  async stepOnce() {
    if (this.playing) return;
    await this.advance(1, true);
  }

  async advance(steps, withDiagram, seconds = undefined) {
    let result;
    try {
      result = await this.lab.call("train.step", { steps, diagram: withDiagram, seconds });
    } catch (e) {
      this.error.textContent = t(e.id, e.params);
      this.pause();
      return null;
    }
    this.render(result);
    return result;
  }

  async play() {
    if (!this.result || this.result.diverged) return;
    this.playing = true;
    this.playButton.textContent = t("train_pause");
    this.playButton.dataset.playing = "true";
    let lastDiagram = 0;
    while (this.playing) {
      // as many steps as fit in TARGET_MS of training; the engine stops there and answers
      const start = performance.now();
      const withDiagram = start - lastDiagram > DIAGRAM_EVERY_MS;
      const result = await this.advance(this.limits.steps_per_call, withDiagram,
                                        TARGET_MS / 1000);
      if (!result || result.diverged) break;
      if (withDiagram) lastDiagram = start;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    this.pause();
  }

  pause() {
    this.playing = false;
    this.playButton.textContent = t("train_play");
    delete this.playButton.dataset.playing;
  }

  async choose(node) {
    if (!node || !node.label || node.label.startsWith("x")) return;
    this.chosenLabel = node.label;
    try {
      this.render(await this.lab.call("train.choose", { weight: node.label }));
    } catch (e) {
      this.error.textContent = t(e.id, e.params);
    }
    this.lab.saveState();
  }

  // -- drawing -------------------------------------------------------------------------------

  render(result) {
    this.result = { ...result, diagram: result.diagram || (this.result && this.result.diagram) };
    this.status.textContent = t("train_status", { step: result.step, epoch: result.epoch,
                                                  samples: result.samples });
    this.status.dataset.step = String(result.step);
    this.loss.textContent = result.loss === null ? t("train_diverged")
      : t("train_loss", { loss: fmt(result.loss) });
    this.loss.dataset.value = String(result.loss);
    this.loss.dataset.step = String(result.step);
    this.accuracy.textContent = result.accuracy === null ? ""
      : t("train_accuracy", { accuracy: `${Math.round(result.accuracy * 100)}%` });
    if (result.diverged) this.error.textContent = t("train_diverged");
    this.plotTitle.textContent = t(result.boundary !== undefined ? "train_boundary" : "train_fit");
    this.drawPlots();
    if (result.diagram) {
      this.diagram.show(result.diagram.dot, { nodes: result.diagram.nodes }, "neato")
        .then(() => this.markChosen());
    }
    this.showChosen(result.explained);
  }

  drawPlots() {
    const r = this.result;
    if (!r || this.main.hidden || !this.main.isConnected) return;
    drawLossCurve(this.curve, r.history);
    if (r.boundary !== undefined) drawBoundary(this.plot, r.boundary, this.points);
    else drawFit(this.plot, r.fit);
  }

  markChosen() {
    const svg = this.diagram.svg;
    if (!svg || !this.result || !this.result.diagram) return;
    for (const el of svg.querySelectorAll(".chosen")) el.classList.remove("chosen");
    for (const [id, node] of Object.entries(this.result.diagram.nodes)) {
      if (node.label === this.chosenLabel) {
        const el = svg.querySelector(`g#${CSS.escape(id)}`);
        if (el) el.classList.add("chosen");
      }
    }
  }

  showChosen(explained) {
    if (!explained) {
      if (!this.chosenLabel) return;
      clear(this.chosen).append(h("p", { className: "hint",
                                         text: t("train_chosen_step", { name: this.chosenLabel }) }));
      return;
    }
    clear(this.chosen);
    this.chosen.dataset.step = String(explained.step);
    this.chosen.dataset.grad = String(explained.grad);
    this.chosen.append(
      h("p", { className: "caption", text: t("train_chosen_caption", { name: explained.name,
                                                                       step: explained.step }) }),
      renderWrapped(h("div", { className: "math display" }), explained.sgd),
      h("p", { className: "hint", text: t("train_chosen_paths") }),
      renderWrapped(h("div", { className: "math display" }), explained.latex));
  }

  // -- state ---------------------------------------------------------------------------------

  state() {
    const s = this.setup;
    const out = { data: s.dataset, hidden: s.hidden.join(","), act: s.activation,
                  out: s.output_activation, loss: s.loss, lr: String(s.lr),
                  batch: String(s.batch), seed: String(s.seed) };
    if (this.chosenLabel) out.weight = this.chosenLabel;
    return out;
  }

  restore(s) {
    const name = this.datasets[s.data] ? s.data : "moons";
    const base = this.datasets[name];
    const number = (text, fallback) => (Number.isFinite(parseFloat(text)) ? parseFloat(text)
      : fallback);
    this.setup = {
      dataset: name,
      hidden: s.hidden ? s.hidden.split(",").map(Number).filter(Number.isInteger) : base.hidden,
      activation: s.act || base.activation,
      output_activation: s.out || base.output_activation,
      loss: s.loss || base.loss, lr: number(s.lr, base.lr), batch: number(s.batch, base.batch),
      seed: number(s.seed, 0) };
    this.chosenLabel = s.weight || null;
  }

  exportSvg() {
    return this.diagram.svgText();
  }
}
