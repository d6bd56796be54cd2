// The lab's front-end: one page, three modes, every number from the engine through a host.
//
// startLab(root, host, options) builds the page inside root. host has one method,
// call(method, params) -> Promise of the result (rejecting with a LabError): the local
// server's host does it over HTTP (host-server.js); a notebook widget or Pyodide in the page
// can do it their way. No module here assumes HTTP.
//
// options: urlState (the state lives in the page's URL, the language in its ?lang=), state
// (the state to start from otherwise), onState(state) (told each time the state changes),
// language (the language to ask for; with urlState, ?lang= does it), onLanguage(code) (told
// when the switch changes it), asset(path) (the URL of a file of the page, e.g. "lab.css",
// for a host whose modules have no folder URL), embedded (the lab is part of a bigger page:
// it leaves the page's title and language alone).
import { clear, debounce, h } from "./dom.js";
import { LabError } from "./errors.js";
import { setCatalog, t } from "./i18n.js";
import { ExpressionMode } from "./mode-expression.js";
import { viz } from "./graph-pane.js";

const MODES = ["expression", "network", "train"];

export async function startLab(root, host, options = {}) {
  injectStyles(root, options.asset);
  root.classList.add("lab-root");
  clear(root).append(h("div", { className: "lab-loading", "aria-busy": "true" },
                       h("div", { className: "bar" })));
  const lab = new Lab(root, host, options);
  await lab.start();
  return lab;
}

function injectStyles(root, asset = (path) => new URL(`../${path}`, import.meta.url).href) {
  const doc = root.ownerDocument;
  for (const path of ["vendor/katex/katex.min.css", "lab.css"]) {
    const url = asset(path);
    if (![...doc.querySelectorAll("link[rel=stylesheet]")].some((l) => l.href === url)) {
      doc.head.append(h("link", { rel: "stylesheet", href: url }));
    }
  }
}

class Lab {
  constructor(root, host, options) {
    this.root = root;
    this.host = host;
    this.options = { urlState: false, ...options };
    this.modes = {};
    this.active = null;
    this.activated = new Set();
    this.saveState = debounce(() => this.writeState(), 150);
    // keys for the active mode's tools: the whole page's, or the lab's own inside a notebook
    const keys = this.options.embedded ? root : root.ownerDocument;
    keys.addEventListener("keydown", (event) => {
      const tools = this.active && this.active.tools;
      if (tools && tools.keyStep) tools.keyStep(event);
    });
  }

  async call(method, params = {}) {
    try {
      return await this.host.call(method, params);
    } catch (e) {
      const error = e instanceof LabError ? e : new LabError({ id: "internal_error",
        params: { kind: e.name || "Error", message: String(e.message || e) } });
      if (error.id !== "session_unknown" || method === "lab.init") throw error;
      await this.reopen();
      return this.host.call(method, params);
    }
  }

  // The host lost this page's session (a restarted server): open one and rebuild each view.
  reopen() {
    if (!this.reopening) {
      this.reopening = (async () => {
        await this.host.call("lab.init", {});
        for (const name of this.activated) {
          if (this.modes[name].rebuild) await this.modes[name].rebuild();
        }
        this.report(new LabError({ id: "session_restarted" }), "info");
      })().finally(() => { this.reopening = null; });
    }
    return this.reopening;
  }

  async start() {
    let init;
    try {
      [init] = await Promise.all([this.call("lab.init", this.initParams(this.wantedLanguage())),
                                  viz()]);
    } catch (e) {
      clear(this.root).append(h("p", { className: "error", testid: "status",
                                       text: e.message || String(e) }));
      throw e;
    }
    this.useInit(init);
    this.build();
    const state = this.readState();
    await this.switchMode(MODES.includes(state.mode) ? state.mode : "expression", state);
    this.root.dataset.ready = "true";
  }

  // -- language ------------------------------------------------------------------------------

  wantedLanguage() {
    if (!this.options.urlState) return this.options.language || null;
    return new URLSearchParams(window.location.search).get("lang");
  }

  initParams(language) {
    return { language: language || null, accept: [...(navigator.languages || [])] };
  }

  useInit(init) {
    this.init = init;
    setCatalog(init.catalog);
    const tag = init.language === "zh" ? "zh-CN" : init.language;
    this.root.lang = tag;
    this.root.dataset.language = init.language;
    if (!this.options.embedded) {
      this.root.ownerDocument.documentElement.lang = tag;
      this.root.ownerDocument.title = t("app_title");
    }
  }

  // The switch: the session answers in the new language from now on, and the page is built
  // again in it from its own state (each mode recomputes; train mode keeps its run).
  async setLanguage(code) {
    if (!code || code === (this.init && this.init.language) || this.switching) return;
    this.switching = true;
    try {
      const state = this.currentState();
      // every mode opened so far comes back as it was, when it is next shown
      const states = {};
      for (const name of this.activated) states[name] = { ...this.modes[name].state(), keep: "1" };
      const init = await this.call("lab.init", this.initParams(code));
      if (this.active && this.active.deactivate) this.active.deactivate();
      this.useInit(init);
      if (this.options.urlState) {
        const url = new URL(window.location.href);
        url.searchParams.set("lang", init.language);
        window.history.replaceState(null, "", url.href);
      }
      if (this.options.onLanguage) this.options.onLanguage(init.language);
      this.modes = {};
      this.active = null;
      this.activated = new Set();
      this.pending = states;
      this.build();
      await this.switchMode(MODES.includes(state.mode) ? state.mode : "expression");
    } catch (e) {
      this.report(e);
    } finally {
      this.switching = false;
    }
  }

  build() {
    const modeButton = (name) => h("button", { type: "button", className: "mode",
                                               testid: `mode-${name}`,
                                               onclick: () => this.switchMode(name) },
                                   t(`mode_${name}`));
    this.modeButtons = Object.fromEntries(MODES.map((m) => [m, modeButton(m)]));
    this.status = h("div", { className: "status", testid: "status", role: "status",
                             hidden: true });
    this.hint = h("span", { className: "mode-hint", testid: "mode-hint" });
    const action = (id, fn) => h("button", { type: "button", className: "action", testid: id,
                                             onclick: fn }, t(id.replace("-", "_")));
    this.actions = {
      link: action("copy-link", () => this.copyLink()),
      svg: action("export-svg", () => this.exportSvg()),
      page: action("export-page", () => this.exportPage()),
    };
    this.actions.link.hidden = !this.options.urlState;   // a link needs the state in the URL
    this.languageSwitch = h("select", { className: "language", testid: "lang",
                                        "aria-label": t("language_label"),
                                        onchange: () => this.setLanguage(
                                          this.languageSwitch.value) },
      (this.init.languages || []).map((l) => h("option", { value: l.code, text: l.name })));
    this.languageSwitch.value = this.init.language;
    this.languageSwitch.hidden = (this.init.languages || []).length < 2;
    this.side = h("aside", { className: "lab-side" });
    this.main = h("main", { className: "lab-main" });
    clear(this.root).append(
      h("header", { className: "lab-header" },
        h("div", { className: "brand" }, h("h1", { text: t("app_title") }),
          h("span", { className: "tagline", text: t("app_tagline") })),
        h("nav", { className: "modes" }, MODES.map((m) => this.modeButtons[m])),
        this.hint,
        h("div", { className: "actions" }, Object.values(this.actions), this.languageSwitch)),
      this.status,
      h("div", { className: "lab-body" }, this.side, this.main));
  }

  async mode(name) {
    if (!this.modes[name]) {
      if (name === "expression") this.modes[name] = new ExpressionMode(this);
      if (name === "network") {
        const { NetworkMode } = await import("./mode-network.js");
        this.modes[name] = new NetworkMode(this);
      }
      if (name === "train") {
        const { TrainMode } = await import("./mode-train.js");
        this.modes[name] = new TrainMode(this);
      }
    }
    return this.modes[name];
  }

  async switchMode(name, state = null) {
    if (!state && this.pending && this.pending[name] && !this.activated.has(name)) {
      state = this.pending[name];
      delete this.pending[name];
    }
    const mode = await this.mode(name);
    if (this.active && this.active !== mode && this.active.deactivate) this.active.deactivate();
    this.active = mode;
    // Only the active mode is in the document, so every test id names one element.
    this.side.replaceChildren(mode.side);
    this.main.replaceChildren(mode.main);
    for (const [m, button] of Object.entries(this.modeButtons)) {
      button.setAttribute("aria-pressed", String(m === name));
    }
    this.hint.textContent = t(`mode_${name}_hint`);
    this.actions.page.disabled = name === "train";
    this.root.dataset.mode = name;
    if (!this.activated.has(name) || state) {
      this.activated.add(name);
      await mode.activate(state);
    } else if (mode.resume) {
      await mode.resume();
    }
    this.saveState();
  }

  // -- messages ------------------------------------------------------------------------------

  report(error, kind = "error") {
    this.status.hidden = false;
    this.status.className = `status ${kind}`;
    this.status.textContent = t(error.id, error.params);
    this.status.dataset.id = error.id;
    clearTimeout(this.statusTimer);
    this.statusTimer = setTimeout(() => { this.status.hidden = true; }, 10000);
  }

  // -- shareable state -----------------------------------------------------------------------

  readState() {
    if (!this.options.urlState) return this.options.state || {};
    const params = new URLSearchParams(window.location.hash.slice(1));
    return Object.fromEntries(params.entries());
  }

  currentState() {
    const name = this.root.dataset.mode || "expression";
    return { mode: name, ...(this.modes[name] ? this.modes[name].state() : {}) };
  }

  writeState() {
    if (this.options.onState) this.options.onState(this.currentState());
    if (!this.options.urlState) return;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(this.currentState())) {
      if (value !== undefined && value !== null && value !== "") params.set(key, value);
    }
    const hash = `#${params.toString()}`;
    if (window.location.hash !== hash) window.history.replaceState(null, "", hash);
  }

  async copyLink() {
    this.writeState();
    try {
      await navigator.clipboard.writeText(window.location.href);
      this.report({ id: "link_copied", params: {} }, "info");
    } catch (e) {
      this.report({ id: "link_copied", params: {} }, "info");
    }
  }

  // -- export --------------------------------------------------------------------------------

  // The current picture as an SVG file: a computation graph as draw_dot draws it (with its
  // legend), laid out here; train mode's network diagram as shown.
  async exportSvg() {
    const name = this.root.dataset.mode;
    let text = null;
    if (name === "train") {
      text = this.active.exportSvg();
    } else {
      try {
        const { dot, legend } = await this.call("graph.export_dot", { mode: name });
        const v = await viz();
        text = v.renderString(dot, { format: "svg", engine: "dot" });
        if (legend) {
          const key = v.renderString(legend, { format: "svg", engine: "dot" });
          text = (await this.call("graph.compose_svg", { picture: text, legend: key })).svg;
        }
      } catch (e) {
        this.report(e);
        return;
      }
    }
    if (text) download(`backprop-lab-${name}.svg`, text, "image/svg+xml");
  }

  async exportPage() {
    const name = this.root.dataset.mode;
    if (name === "train") return;
    let page;
    try {
      page = await this.call("graph.export_page", { mode: name });
    } catch (e) {
      this.report(e);
      return;
    }
    const v = await viz();
    let svg = v.renderString(page.dot, { format: "svg", engine: "dot" });
    svg = svg.slice(svg.indexOf("<svg"));
    const html = page.html.replace(page.placeholder, () => svg);
    download("backward.html", html, "text/html");
  }
}

function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
