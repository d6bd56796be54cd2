// The engine's thread on the static site: Pyodide from this site's own folder, this project's
// wheel unpacked into it, one LabSession answering the page's requests (JSON text in and out).
// Nothing is fetched from another origin: no loadPackage, no CDN. Wheels the page needs only
// sometimes (SymPy, for the derivation checker) are fetched the first time Python imports them.
let handle = null;

self.onmessage = async (event) => {
  const msg = event.data;
  if (msg.type === "start") {
    try {
      const timings = await start(msg.site);
      self.postMessage({ type: "ready", timings });
    } catch (e) {
      self.postMessage({ type: "failed", message: String((e && e.message) || e) });
    }
  } else if (msg.type === "call") {
    let text;
    try {
      text = handle(msg.request);
    } catch (e) {
      text = JSON.stringify({ ok: false, error: { id: "internal_error",
        params: { kind: "PythonError", message: String((e && e.message) || e).slice(-500) } } });
    }
    self.postMessage({ type: "answer", id: msg.id, text });
  }
};

async function bytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function start(site) {
  const t0 = performance.now();
  const base = new URL(site.pyodide, site.base).href;
  self.postMessage({ type: "progress", stage: "runtime" });
  const { loadPyodide } = await import(new URL("pyodide.mjs", base).href);
  const wheels = Promise.all(site.wheels.map((w) => bytes(new URL(w, site.base).href)));
  const pyodide = await loadPyodide({ indexURL: base, packages: [] });
  const t1 = performance.now();
  self.postMessage({ type: "progress", stage: "engine" });
  const target = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  for (const wheel of await wheels) pyodide.unpackArchive(wheel, "wheel", { extractDir: target });
  const lazy = Object.fromEntries(Object.entries(site.lazy || {})
    .map(([name, url]) => [name, new URL(url, site.base).href]));
  pyodide.globals.set("_lab_lazy", pyodide.toPy(lazy));
  pyodide.globals.set("_lab_target", target);
  pyodide.runPython(BOOT);
  handle = pyodide.globals.get("_lab_handle");
  const t2 = performance.now();
  return { runtime_ms: t1 - t0, engine_ms: t2 - t1, total_ms: t2 - t0 };
}

// Python run once at start: a finder that fetches a lazy wheel (synchronously: a worker may)
// the first time its package is imported, then the session.
const BOOT = `
import importlib.abc, importlib.machinery, io, sys, zipfile

class _LazyWheels(importlib.abc.MetaPathFinder):
    def __init__(self, wheels, target):
        self.wheels, self.target = dict(wheels), target

    def find_spec(self, name, path=None, target=None):
        url = self.wheels.pop(name.partition(".")[0], None)
        if url is not None:
            from js import XMLHttpRequest
            request = XMLHttpRequest.new()
            request.open("GET", url, False)
            request.responseType = "arraybuffer"
            request.send(None)
            if request.status != 200:
                raise ImportError(f"{name}: {url} answered HTTP {request.status}")
            data = request.response.to_bytes()
            zipfile.ZipFile(io.BytesIO(data)).extractall(self.target)
            importlib.invalidate_caches()
            return importlib.machinery.PathFinder.find_spec(name, path)
        return None

sys.meta_path.append(_LazyWheels(_lab_lazy, _lab_target))
del _lab_lazy, _lab_target

from visualize.lab.session import LabSession as _LabSession, to_json as _to_json
_lab = _LabSession()

def _lab_handle(text):
    return _to_json(_lab.handle(text))
`;
