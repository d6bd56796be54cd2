// One value the learner sets: its name, a number field, a slider, and its gradient as text.
// Test ids: value-NAME (the number field), slider-NAME, grad-NAME (the gradient's text, with
// the full number in data-value).
import { h } from "./dom.js";
import { fmt, t } from "./i18n.js";

export class ValueRow {
  // onInput(value) runs on every change; onRemove (optional) adds a remove button.
  constructor({ name, value, onInput, onRemove = null, className = "leaf", kind = null }) {
    this.name = name;
    this.value = value;
    this.number = h("input", { type: "number", step: "any", testid: `value-${name}`,
                               className: "leaf-number", value: String(value),
                               "aria-label": t("leaf_value_label", { name }) });
    this.slider = h("input", { type: "range", testid: `slider-${name}`, step: "0.01",
                               className: "leaf-slider",
                               "aria-label": t("leaf_slider_label", { name }) });
    this.grad = h("span", { className: "leaf-grad", testid: `grad-${name}` });
    this.widen(value, true);
    this.slider.value = String(value);
    this.number.addEventListener("input", () => {
      const x = parseFloat(this.number.value);
      if (!Number.isFinite(x)) {
        this.number.setAttribute("aria-invalid", "true");
        return;
      }
      this.number.removeAttribute("aria-invalid");
      this.value = x;
      this.widen(x);
      this.slider.value = String(x);
      onInput(x);
    });
    this.slider.addEventListener("input", () => {
      const x = parseFloat(this.slider.value);
      this.value = x;
      this.number.value = String(x);
      onInput(x);
    });
    const remove = onRemove && h("button", { type: "button", testid: `remove-${name}`,
                                             title: t("weight_remove"),
                                             "aria-label": t("weight_remove"),
                                             onclick: onRemove }, "×");
    this.el = h("div", { className, "data-name": name },
      h("span", { className: "leaf-name", text: name, title: name }), this.number, this.slider,
      remove, this.grad);
    if (kind) this.el.dataset.kind = kind;
  }

  // Show a value set elsewhere (a response, a link), unless the learner is editing this row.
  set(value) {
    this.value = value;
    if (document.activeElement !== this.number && parseFloat(this.number.value) !== value) {
      this.number.value = String(value);
    }
    this.widen(value);
    if (document.activeElement !== this.slider) this.slider.value = String(value);
  }

  setGrad(grad, text) {
    this.grad.textContent = text;
    this.grad.dataset.value = String(grad);
  }

  // The slider's range covers the value: ±5 at least, twice the value when it is larger.
  widen(x, reset = false) {
    const r = Math.max(5, Math.ceil(2 * Math.abs(x)));
    if (reset || x < parseFloat(this.slider.min) || x > parseFloat(this.slider.max)) {
      this.slider.min = String(-r);
      this.slider.max = String(r);
    }
  }
}

export function gradText(output, name, grad) {
  return t("grad_of_output", { output, name, value: fmt(grad) });
}
