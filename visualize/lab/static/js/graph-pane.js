// A pane holding one picture: DOT from the session, laid out here by the vendored Graphviz
// (@viz-js/viz), with zoom, panning, and the ids draw_dot and draw_mlp give every element
// wired to hover and click.
import { instance } from "../vendor/viz/viz.js";
import { clear, h } from "./dom.js";
import { fmt, t } from "./i18n.js";

let vizPromise = null;
export function viz() {
  if (!vizPromise) vizPromise = instance();
  return vizPromise;
}

const EDGE_WITH_LOCAL = /^n\d+_n\d+op_\d+$/;
const READABLE = 0.6;   // fitting never shrinks text below 60% (12 pt -> about 10 px)

export class GraphPane {
  constructor({ testid, title = null, engine = "dot", onEdgeHover = null, onEdgeLeave = null,
                onNodeClick = null, onEdgeClick = null, className = "", onWiden = null,
                fitWhole = false }) {
    this.fitWhole = fitWhole;   // fit the whole picture even when its text gets small
    this.engine = engine;
    this.onEdgeHover = onEdgeHover;
    this.onEdgeLeave = onEdgeLeave;
    this.onNodeClick = onNodeClick;
    this.onEdgeClick = onEdgeClick;
    this.zoom = null;            // null: fit to the pane
    this.info = null;
    this.svg = null;
    this.saved = null;           // grad texts and fills as drawn, restored after stepping
    this.viewport = h("div", { className: "pane-viewport", testid, tabindex: "0" });
    this.note = h("div", { className: "pane-note", testid: `${testid}-note`, hidden: true });
    const tool = (id, label, fn) => h("button", { type: "button", className: "pane-tool",
                                                  title: t(id), "aria-label": t(id),
                                                  onclick: fn }, label);
    this.toolbar = h("div", { className: "pane-toolbar" },
      title ? h("span", { className: "pane-title", text: title }) : null,
      h("span", { className: "pane-spacer" }),
      tool("zoom_out", "−", () => this.setZoom(this.scale() / 1.25)),
      tool("zoom_in", "+", () => this.setZoom(this.scale() * 1.25)),
      tool("zoom_fit", t("zoom_fit"), () => this.setZoom(null)),
      onWiden ? h("button", { type: "button", className: "pane-tool", testid: `${testid}-widen`,
                              title: t("pane_widen"), "aria-label": t("pane_widen"),
                              onclick: onWiden }, "⤢") : null);
    this.legend = h("div", { className: "pane-legend", testid: `${testid}-legend`,
                             hidden: true });
    this.el = h("section", { className: `pane ${className}` }, this.toolbar, this.note,
                this.viewport, this.legend);
    this.wire();
    new ResizeObserver(() => { if (this.zoom === null) this.applyZoom(); })
      .observe(this.viewport);
  }

  // Lay out and show the DOT; info.nodes says what each record id stands for.
  async show(dot, info = {}, engine = this.engine) {
    this.info = info;
    if (!dot) {
      this.clearPicture();
      return;
    }
    const v = await viz();
    let svg;
    try {
      svg = v.renderSVGElement(dot, { engine });
    } catch (e) {
      this.showNote(t("graph_drawing_failed", { message: String(e.message || e) }));
      return;
    }
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    const box = svg.viewBox.baseVal;
    this.natural = [box.width * 4 / 3, box.height * 4 / 3];
    clear(this.viewport).append(svg);
    this.svg = svg;
    this.decorate(svg);
    this.saved = null;
    this.select(this.selected);
    this.applyZoom();
    this.viewport.dataset.version = String(info.version ?? "");
    this.viewport.dataset.ready = "true";
    this.showLegend(info);
  }

  // The colours and borders of a draw_dot picture, beside it (the picture is drawn without
  // its own legend, to leave the room to the graph).
  showLegend(info) {
    clear(this.legend);
    this.legend.hidden = !info.palette;
    if (!info.palette) return;
    const swatch = (style) => {
      const el = h("span", { className: "swatch" });
      Object.assign(el.style, style);
      return el;
    };
    const item = (style, text) => h("span", { className: "legend-item" }, swatch(style), text);
    if (info.biggest > 0) {
      this.legend.append(h("span", { className: "legend-head", text: t("legend_fill") }));
      info.palette.forEach(([bound, colour]) => this.legend.append(
        item({ background: colour }, bound ? t("legend_bucket", { bound }) : "0")));
    } else {
      this.legend.append(h("span", { className: "legend-head", text: t("legend_no_grad") }));
    }
    this.legend.append(h("span", { className: "legend-head", text: t("legend_border") }));
    for (const [kind, style] of Object.entries(info.kinds || {})) {
      this.legend.append(item(borderStyle(style), t(`kind_${kind}`)));
    }
  }

  clearPicture() {
    clear(this.viewport);
    this.svg = null;
    this.viewport.dataset.version = "";
  }

  showNote(text) {
    this.note.hidden = !text;
    this.note.textContent = text || "";
  }

  // Hover and click areas: edges get a wide invisible stroke, records and ops a pointer.
  decorate(svg) {
    const nodes = (this.info && this.info.nodes) || {};
    for (const g of svg.querySelectorAll("g.edge")) {
      const path = g.querySelector("path");
      if (path && (EDGE_WITH_LOCAL.test(g.id) || this.onEdgeClick)) {
        const hit = path.cloneNode(false);
        hit.setAttribute("class", "hit");
        hit.removeAttribute("stroke-dasharray");
        g.append(hit);
        g.classList.add("hoverable");
      }
    }
    for (const g of svg.querySelectorAll("g.node")) {
      const node = nodes[g.id];
      if (node && node.click !== "none") g.classList.add("clickable", `click-${node.click}`);
    }
    // Graphviz writes each element's name in a <title>, which browsers show as a tooltip:
    // drop them, the lab explains elements itself.
    for (const title of svg.querySelectorAll("title")) title.remove();
  }

  wire() {
    let drag = null;
    this.viewport.addEventListener("pointerdown", (event) => {
      if (event.button !== 0 || event.target.closest("g.clickable, g.hoverable")) return;
      drag = { x: event.clientX, y: event.clientY, left: this.viewport.scrollLeft,
               top: this.viewport.scrollTop };
      this.viewport.classList.add("dragging");
    });
    window.addEventListener("pointermove", (event) => {
      if (!drag) return;
      this.viewport.scrollLeft = drag.left - (event.clientX - drag.x);
      this.viewport.scrollTop = drag.top - (event.clientY - drag.y);
    });
    window.addEventListener("pointerup", () => {
      drag = null;
      this.viewport.classList.remove("dragging");
    });
    this.viewport.addEventListener("wheel", (event) => {
      if (!event.ctrlKey) return;
      event.preventDefault();
      this.setZoom(this.scale() * (event.deltaY < 0 ? 1.1 : 1 / 1.1));
    }, { passive: false });
    this.viewport.addEventListener("mouseover", (event) => {
      const g = event.target.closest("g.edge.hoverable");
      if (g && this.onEdgeHover) this.onEdgeHover(g.id, event);
    });
    this.viewport.addEventListener("mouseout", (event) => {
      const g = event.target.closest("g.edge.hoverable");
      if (g && !g.contains(event.relatedTarget) && this.onEdgeLeave) this.onEdgeLeave(g.id);
    });
    this.viewport.addEventListener("click", (event) => {
      const node = event.target.closest("g.node.clickable");
      if (node && this.onNodeClick) {
        this.onNodeClick(node.id, this.info.nodes[node.id], event);
        return;
      }
      const edge = event.target.closest("g.edge.hoverable");
      if (edge && this.onEdgeClick) this.onEdgeClick(edge.id, event);
    });
  }

  scale() {
    if (this.zoom !== null) return this.zoom;
    return this.fitScale();
  }

  // The whole picture if it fits at a readable size; otherwise the width, scrolled down.
  fitScale() {
    if (!this.natural) return 1;
    const width = Math.max(50, this.viewport.clientWidth - 16);
    const height = Math.max(50, this.viewport.clientHeight - 16);
    const whole = Math.min(1.5, width / this.natural[0], height / this.natural[1]);
    if (this.fitWhole || whole >= READABLE) return whole;
    return Math.min(READABLE, (width - 18) / this.natural[0]);   // 18: the scroll bar
  }

  setZoom(zoom) {
    this.zoom = zoom === null ? null : Math.min(8, Math.max(0.05, zoom));
    this.applyZoom();
  }

  applyZoom() {
    if (!this.svg || !this.natural) return;
    const s = this.scale();
    this.svg.style.width = `${this.natural[0] * s}px`;
    this.svg.style.height = `${this.natural[1] * s}px`;
  }

  // The record whose explanation is shown keeps a border (across redraws).
  select(id) {
    this.selected = id;
    if (!this.svg) return;
    for (const el of this.svg.querySelectorAll("g.selected")) el.classList.remove("selected");
    const g = id && this.svg.querySelector(`g.node#${CSS.escape(id)}`);
    if (g) g.classList.add("selected");
  }

  // -- stepping: gradients and highlights changed in place, the layout kept -------------------

  // grads: box id -> gradient; mark: {node, parent, edge, op}; groups: box id -> its fill's
  // group ("parameter", "value", or "constant": never filled); biggest: group -> its scale.
  setStep(grads, mark, biggest, palette, groups) {
    if (!this.svg) return;
    if (!this.saved) this.saved = this.snapshot();
    for (const el of this.svg.querySelectorAll(".hl-node, .hl-parent, .hl-edge")) {
      el.classList.remove("hl-node", "hl-parent", "hl-edge");
    }
    for (const [id, grad] of Object.entries(grads)) {
      const g = this.svg.querySelector(`g.node#${CSS.escape(id)}`);
      if (!g) continue;
      const text = gradText(g);
      if (text) text.textContent = `grad ${fmt(grad)}`;
      if (groups[id] !== "constant") {
        const shape = g.querySelector("polygon, path");
        if (shape) shape.setAttribute("fill", fillFor(grad, biggest[groups[id]], palette));
      }
    }
    const mark1 = (id, cls) => {
      const el = id && this.svg.querySelector(`g#${CSS.escape(id)}`);
      if (el) el.classList.add(cls);
      return el;
    };
    if (mark) {
      mark1(mark.node, "hl-node");
      mark1(mark.op, "hl-node");
      mark1(mark.parent, "hl-parent");
      const edge = mark1(mark.edge, "hl-edge");
      if (edge && edge.scrollIntoView) edge.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }

  endStep() {
    if (!this.svg || !this.saved) return;
    for (const el of this.svg.querySelectorAll(".hl-node, .hl-parent, .hl-edge")) {
      el.classList.remove("hl-node", "hl-parent", "hl-edge");
    }
    for (const [g, text, fill] of this.saved) {
      const t1 = gradText(g);
      if (t1 && text !== null) t1.textContent = text;
      const shape = g.querySelector("polygon, path");
      if (shape && fill !== null) shape.setAttribute("fill", fill);
    }
    this.saved = null;
  }

  snapshot() {
    return [...this.svg.querySelectorAll("g.node")].map((g) => {
      const text = gradText(g);
      const shape = g.querySelector("polygon, path");
      return [g, text ? text.textContent : null, shape ? shape.getAttribute("fill") : null];
    });
  }

  // The picture as a standalone SVG file's text.
  svgText() {
    if (!this.svg) return null;
    const copy = this.svg.cloneNode(true);
    for (const hit of copy.querySelectorAll(".hit")) hit.remove();
    copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    copy.setAttribute("width", `${this.natural[0] * 0.75}pt`);
    copy.setAttribute("height", `${this.natural[1] * 0.75}pt`);
    copy.removeAttribute("style");
    return '<?xml version="1.0" encoding="UTF-8"?>\n' +
      new XMLSerializer().serializeToString(copy);
  }
}

// The line of a box that shows its gradient: the last one starting "grad " (a value may be
// named "grad w"; its name is the first line).
function gradText(g) {
  const lines = [...g.querySelectorAll("text")].filter((t) => t.textContent.startsWith("grad "));
  return lines.length > 1 || (lines.length === 1 && g.querySelectorAll("text").length > 1)
    ? lines[lines.length - 1] : null;
}

// A swatch drawn like the box of a kind: its colour, width, double or dotted line, corners.
function borderStyle(style) {
  const styles = String(style.style || "");
  const line = style.peripheries === "2" ? "double" : styles.includes("dotted") ? "dotted"
    : "solid";
  const width = style.peripheries === "2" ? 3 : Math.max(1, Math.round(parseFloat(style.penwidth)
                                                                      || 1));
  return { border: `${width}px ${line} ${style.colour}`, background: "#fff",
           borderRadius: styles.includes("rounded") ? "4px" : "1px" };
}

export function fillFor(grad, biggest, palette) {
  if (!biggest || !grad) return palette[0][1];
  const ratio = Math.abs(grad) / biggest;
  for (let i = 1; i < palette.length; i++) {
    if (ratio <= palette[i][0]) return palette[i][1];
  }
  return palette[palette.length - 1][1];
}
