// The notebook widget's host: the page's requests go to the kernel as anywidget messages and a
// LabSession there answers (visualize/lab/widget.py). The page's state (in the words of its
// links) is the widget's _state: Python reads it, and setting it from Python moves the page.
import { startLab } from "./app.js";
import { LabError } from "./errors.js";

const ANSWER_SECONDS = 300;   // a kernel busy longer than this is taken as gone

export function createWidgetHost(model) {
  const view = Math.random().toString(36).slice(2);
  const pending = new Map();
  let next = 1;
  const answer = (content) => {
    if (!content || content.kind !== "answer" || !pending.has(content.id)) return;
    const { resolve, reject, timer } = pending.get(content.id);
    pending.delete(content.id);
    clearTimeout(timer);
    const response = content.response || {};
    if (response.ok) resolve(response.result);
    else reject(new LabError(response.error));
  };
  model.on("msg:custom", answer);
  const lost = (message) => new LabError({ id: "connection_lost", params: { message } });
  return {
    name: "widget",
    call(method, params = {}) {
      return new Promise((resolve, reject) => {
        const id = `${view}:${next++}`;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(lost("the kernel did not answer"));
        }, ANSWER_SECONDS * 1000);
        pending.set(id, { resolve, reject, timer });
        model.send({ kind: "call", id, method, params });
      });
    },
    close() {
      model.off("msg:custom", answer);
      for (const { reject, timer } of pending.values()) {
        clearTimeout(timer);
        reject(lost("the widget was closed"));
      }
      pending.clear();
    },
  };
}

function same(a, b) {
  const keys = new Set([...Object.keys(a || {}), ...Object.keys(b || {})]);
  return [...keys].every((k) => String((a || {})[k] ?? "") === String((b || {})[k] ?? ""));
}

// anywidget's render: the lab inside el; returns the clean-up anywidget calls on removal.
export async function startWidget({ model, el, asset }) {
  const root = document.createElement("div");
  root.className = "lab-widget";
  root.style.height = `${model.get("height")}px`;
  el.append(root);
  const host = createWidgetHost(model);
  const lab = await startLab(root, host, {
    state: model.get("_state"), asset, embedded: true, language: model.get("language"),
    onLanguage(code) {
      if (model.get("language") !== code) {
        model.set("language", code);
        model.save_changes();
      }
    },
    onState(state) {
      if (!same(state, model.get("_state"))) {
        model.set("_state", state);
        model.save_changes();
      }
    },
  });
  const follow = () => {
    const state = model.get("_state") || {};
    if (!same(state, lab.currentState())) lab.switchMode(state.mode || "expression", state);
  };
  const resize = () => { root.style.height = `${model.get("height")}px`; };
  const speak = () => lab.setLanguage(model.get("language"));
  model.on("change:_state", follow);
  model.on("change:height", resize);
  model.on("change:language", speak);
  return () => {
    model.off("change:_state", follow);
    model.off("change:height", resize);
    model.off("change:language", speak);
    host.close();
  };
}
