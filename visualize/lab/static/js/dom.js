// Building the page without innerHTML: every text goes in as a text node, so no string from
// the session or the user can become markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "testid") {
      el.dataset.testid = value;
    } else if (key === "text") {
      el.textContent = value;
    } else if (key === "className") {
      el.className = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// A <select> of [value, text] options.
export function selectBox(testid, options, onchange, label = null) {
  const el = h("select", { testid, onchange, "aria-label": label });
  for (const [value, text] of options) el.append(h("option", { value, text }));
  return el;
}

// A labelled control of a form grid (wide: across both columns).
export function field(text, control, wide = false) {
  return h("label", { className: wide ? "wide" : "" }, text, control);
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function setText(el, text) {
  el.textContent = text;
  return el;
}

// A function that runs fn at most once per wait ms, with the latest arguments.
export function debounce(fn, wait) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}

// Requests where only the latest matters (a slider being dragged): one in flight at a time;
// while it runs, newer arguments replace each other and the last one is sent next.
export function latestOnly(fn) {
  let running = false;
  let pending = null;
  async function run(args) {
    running = true;
    try {
      await fn(...args);
    } finally {
      running = false;
      if (pending) {
        const next = pending;
        pending = null;
        run(next);
      }
    }
  }
  return (...args) => {
    if (running) pending = args;
    else run(args);
  };
}
