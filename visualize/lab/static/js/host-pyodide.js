// The static site's host: this project's engine running in the browser with Pyodide, in a Web
// Worker (pyodide-worker.js) so the page stays responsive while Python starts and computes.
// Same call(method, params) as every host; calls made before the engine is ready wait for it.
import { LabError } from "./errors.js";

export function createPyodideHost(site, { worker = new URL("./pyodide-worker.js", import.meta.url),
                                          onProgress = null } = {}) {
  const thread = new Worker(worker, { type: "module", name: "backprop-lab engine" });
  const pending = new Map();
  let next = 1;
  let settle;
  const ready = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  const fail = (message) => {
    const error = new LabError({ id: "engine_failed", params: { message },
                                 text: `The Python engine did not start in this browser: ${message}` });
    settle.reject(error);
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  thread.onmessage = (event) => {
    const msg = event.data;
    if (msg.type === "ready") {
      host.timings = msg.timings;
      settle.resolve(msg);
    } else if (msg.type === "progress") {
      if (onProgress) onProgress(msg.stage);
    } else if (msg.type === "failed") {
      fail(msg.message);
    } else if (msg.type === "answer") {
      const call = pending.get(msg.id);
      pending.delete(msg.id);
      if (!call) return;
      const data = JSON.parse(msg.text);
      if (data.ok) call.resolve(data.result);
      else call.reject(new LabError(data.error));
    }
  };
  thread.onerror = (event) => fail(event.message || "the worker could not be loaded");
  thread.postMessage({ type: "start", site: { ...site, base: new URL(site.base, location.href).href } });

  const host = {
    name: "pyodide",
    ready,
    timings: null,
    async call(method, params = {}) {
      await ready;
      return new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        thread.postMessage({ type: "call", id, request: JSON.stringify({ method, params }) });
      });
    },
  };
  return host;
}
