// The notebook widget's entry: anywidget's _esm (visualize/lab/widget.py). anywidget loads it as
// one module with no folder of its own, so the lab's files cannot be fetched by relative URL:
// this module asks the kernel for them (once per page), gives each a blob: URL with its
// relative imports pointed at the others' URLs, and starts the lab with the widget host.
// Nothing is fetched from any server.
const pages = (globalThis.__backpropLabFiles ||= new Map());   // files version -> Promise of URLs
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.\.?\/[^"']*)\2/g;
const TYPES = { js: "text/javascript", mjs: "text/javascript", css: "text/css",
                woff2: "font/woff2" };

function bytes(buffer) {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) {
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }
  return new Uint8Array(buffer);
}

function requestFiles(model) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      model.off("msg:custom", answer);
      reject(new Error("the kernel did not send the lab's files: is it running?"));
    }, 60000);
    function answer(content, buffers) {
      if (!content || content.kind !== "files") return;
      clearTimeout(timer);
      model.off("msg:custom", answer);
      resolve(Object.fromEntries(content.names.map((name, i) => [name, bytes(buffers[i])])));
    }
    model.on("msg:custom", answer);
    model.send({ kind: "files" });
  });
}

function resolvePath(from, specifier) {
  return new URL(specifier, `https://lab.invalid/${from}`).pathname.slice(1);
}

// {path: bytes} -> {path: blob URL}: assets first, then stylesheets (their url() rewritten),
// then modules, each after the modules it imports (the lab's imports have no cycles).
export function link(files) {
  const urls = {};
  const text = new TextDecoder();
  const blob = (data, path) => URL.createObjectURL(new Blob([data], {
    type: TYPES[path.split(".").pop()] || "application/octet-stream" }));
  const paths = Object.keys(files);
  for (const path of paths.filter((p) => !/\.(m?js|css)$/.test(p))) {
    urls[path] = blob(files[path], path);
  }
  for (const path of paths.filter((p) => p.endsWith(".css"))) {
    const css = text.decode(files[path]).replace(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g,
      (whole, quote, ref) => urls[resolvePath(path, ref)] ? `url(${urls[resolvePath(path, ref)]})`
        : whole);
    urls[path] = blob(css, path);
  }
  const open = new Set();
  const module = (path) => {
    if (urls[path] || !(path in files)) return urls[path] || null;
    if (open.has(path)) throw new Error(`the lab's modules import each other in a cycle: ${path}`);
    open.add(path);
    let data = files[path];
    if (path.startsWith("js/")) {   // the lab's own modules; vendored ones import nothing
      data = text.decode(data).replace(SPECIFIER, (whole, head, quote, specifier) => {
        const url = module(resolvePath(path, specifier));
        return url ? `${head}${quote}${url}${quote}` : whole;
      });
    }
    urls[path] = blob(data, path);
    return urls[path];
  };
  for (const path of paths.filter((p) => /\.m?js$/.test(p))) module(path);
  return urls;
}

// The view as a still picture (Python's _snapshot): the graph as an image (an SVG in an <img>
// runs nothing) and a table, built as elements, never as markup. Shown until the lab is ready,
// and for good where no kernel answers (a notebook exported to HTML with its widget state).
function still(el, model) {
  const s = model.get("_snapshot") || {};
  const make = (tag, text, style = "") => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (style) node.style.cssText = style;
    return node;
  };
  const box = make("div", undefined, "font-family: system-ui, sans-serif; padding: 8px;");
  box.className = "lab-still";
  box.dataset.testid = "lab-still";
  const words = s.words || {};
  box.append(make("p", `${words.app_title || "backprop lab"}: ${s.formula || ""}`,
                  "margin: 0 0 6px;"));
  if (s.error) box.append(make("p", s.error, "color: #b2182b;"));
  if (s.svg) {
    const img = make("img", undefined, "max-width: 100%; display: block;");
    img.alt = s.formula || "the graph";
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(s.svg)}`;
    box.append(img);
  }
  if (s.rows && s.rows.length) {
    const table = make("table", undefined, "border-collapse: collapse; margin-top: 6px;");
    const head = [words.still_name || "name", words.still_value || "value",
                  words.still_grad || "∂out/∂name"];
    for (const row of [head, ...s.rows]) {
      const tr = make("tr");
      for (const cell of row) tr.append(make("td", String(cell), "padding: 1px 10px 1px 0;"));
      table.append(tr);
    }
    box.append(table);
  }
  el.append(box);
  return box;
}

export default {
  async render({ model, el }) {
    const picture = still(el, model);
    const version = model.get("_files");
    if (!pages.has(version)) {
      pages.set(version, requestFiles(model).then(link));
      pages.get(version).catch(() => pages.delete(version));
    }
    let urls;
    try {
      urls = await pages.get(version);
    } catch (e) {
      picture.append(document.createTextNode(`(${e.message || e})`));
      return undefined;
    }
    const { startWidget } = await import(urls["js/host-widget.js"]);
    const cleanup = await startWidget({ model, el, asset: (path) => urls[path] });
    picture.remove();
    return cleanup;
  },
};
