// Check mode's exercises (nn.exercises): a set drawn from a seed (kept in the page's link, so
// a class shares it), one exercise at a time with its prompt and the values it gives, an
// answer box, and the checker's verdict with the kinds of slip it names.
import { clear, debounce, h } from "./dom.js";
import { t } from "./i18n.js";

export class ExercisePanel {
  constructor(lab, onChange) {
    this.lab = lab;
    this.onChange = onChange;
    this.set = null;            // the session's listing: seed, items
    this.number = 1;
    this.solved = new Set();    // numbers answered right, in this set
    this.pending = null;        // state from a link, applied once the set is there
    this.build();
  }

  build() {
    const button = (testid, text, onclick) => h("button", { type: "button", testid, onclick },
                                                 text);
    this.seed = h("input", { type: "number", testid: "exercise-seed", min: "0", step: "1",
                             className: "small-number", "aria-label": t("exercise_seed_label"),
                             onchange: () => this.changeSeed() });
    this.pick = h("select", { testid: "exercise-pick", "aria-label": t("exercise_pick_label"),
                              onchange: () => this.show(parseInt(this.pick.value, 10)) });
    this.prompt = h("div", { className: "exercise-prompt", testid: "exercise-prompt" });
    this.answer = h("input", { type: "text", testid: "exercise-answer", spellcheck: "false",
                               autocomplete: "off", className: "formula-input",
                               "aria-label": t("exercise_answer_label"),
                               placeholder: t("exercise_answer_placeholder"),
                               onkeydown: (e) => { if (e.key === "Enter") this.check(); },
                               oninput: debounce(() => this.onChange(), 300) });
    this.verdict = h("div", { className: "verdict exercise-verdict", testid: "exercise-verdict" });
    this.score = h("span", { className: "counter", testid: "exercise-score" });
    this.el = h("div", { className: "exercise", testid: "exercise" },
      h("div", { className: "tool-row" },
        h("label", { className: "inline" }, t("exercise_seed_label"), " ", this.seed),
        button("exercise-new-seed", t("exercise_new_seed"), () => this.load(null)),
        h("label", { className: "inline" }, t("exercise_pick_label"), " ", this.pick),
        button("exercise-prev", t("exercise_prev"), () => this.show(this.number - 1)),
        button("exercise-next", t("exercise_next"), () => this.show(this.number + 1)),
        this.score),
      h("p", { className: "hint", text: t("exercise_share") }),
      h("div", { className: "exercise-body" },
        this.prompt,
        h("div", { className: "exercise-work" },
          h("div", { className: "tool-row" },
            h("label", { className: "check-label", text: t("exercise_answer_label") }),
            this.answer, button("exercise-run", t("check_run"), () => this.check())),
          this.verdict)));
  }

  changeSeed() {
    const seed = parseInt(this.seed.value, 10);
    if (Number.isInteger(seed) && seed >= 0 && !(this.set && this.set.seed === seed)) {
      this.load(seed);
    }
  }

  // The set is drawn the first time the panel is shown (or from a link's seed).
  async ensure() {
    if (this.set || this.loading) return this.loading;
    const seed = this.pending && this.pending.exseed !== undefined
      ? parseInt(this.pending.exseed, 10) : null;
    return this.load(Number.isFinite(seed) ? seed : null);
  }

  async load(seed) {
    this.loading = (async () => {
      let set;
      try {
        set = await this.lab.call("exercises.list", { seed });
      } catch (e) {
        this.lab.report(e);
        return;
      }
      if (!this.set || this.set.seed !== set.seed) this.solved.clear();
      this.set = set;
      this.seed.value = String(set.seed);
      clear(this.pick);
      for (const item of set.items) {
        this.pick.append(h("option", {
          value: String(item.number),
          text: item.available ? t("exercise_option", { number: item.number, title: item.title })
            : t("exercise_option_unavailable", { number: item.number }) }));
      }
      const wanted = this.pending ? parseInt(this.pending.ex, 10) : this.number;
      this.show(Number.isFinite(wanted) ? wanted : 1, this.pending ? this.pending.exans : "");
      this.pending = null;
    })().finally(() => { this.loading = null; });
    return this.loading;
  }

  show(number, answer = "") {
    if (!this.set) return;
    this.number = Math.max(1, Math.min(this.set.items.length, number));
    const item = this.set.items[this.number - 1];
    this.pick.value = String(this.number);
    this.answer.value = answer || "";
    this.answer.disabled = !item.available;
    clear(this.verdict);
    delete this.verdict.dataset.ok;
    delete this.verdict.dataset.kinds;
    clear(this.prompt);
    this.prompt.dataset.number = String(this.number);
    if (item.available) {
      this.prompt.append(h("p", { className: "caption", text: t("exercise_option", item) }));
      promptElements(item.prompt).forEach((el) => this.prompt.append(el));
    } else {
      this.prompt.append(h("p", { className: "error",
                                  text: t("exercise_needs_numpy", { number: item.number }) }));
    }
    this.showScore();
    this.onChange();
  }

  showScore() {
    const count = this.set.items.filter((item) => item.available).length;
    this.score.textContent = t("exercise_solved", { done: this.solved.size, count });
  }

  async check() {
    const answer = this.answer.value;
    if (!this.set || !answer.trim()) return;
    const number = this.number;
    clear(this.verdict);
    this.verdict.dataset.ok = "running";
    this.verdict.append(h("p", { className: "hint", text: t("check_running") }));
    let result;
    try {
      result = await this.lab.call("exercises.check", { seed: this.set.seed, number, answer });
    } catch (e) {
      clear(this.verdict);
      this.verdict.dataset.ok = "error";
      this.verdict.append(h("p", { className: "error", text: t(e.id, e.params) }));
      return;
    }
    if (number !== this.number) return;   // another exercise was picked meanwhile
    clear(this.verdict);
    this.verdict.dataset.ok = result.refused ? "refused" : String(result.ok);
    this.verdict.dataset.kinds = result.kinds.join(" ");
    const head = result.ok ? "exercise_right" : result.refused ? "exercise_refused"
      : "exercise_wrong";
    const text = h("div", { className: "verdict-text" },
      h("p", { className: result.ok ? "right" : "wrong", text: t(head) }),
      h("p", { className: "exercise-sentences", text: result.verdict }));
    if (result.kinds.length && !result.refused) {
      text.append(h("p", { className: "hint exercise-kinds",
                           text: t("exercise_kinds", { kinds: result.kinds.join(", ") }) }));
    }
    this.verdict.append(text);
    if (result.ok) this.solved.add(number);
    this.showScore();
    this.onChange();
  }

  // -- state for the URL ---------------------------------------------------------------------

  state() {
    if (!this.set) return this.pending ? { ...this.pending } : {};
    const s = { ex: String(this.number), exseed: String(this.set.seed) };
    if (this.answer.value) s.exans = this.answer.value;
    return s;
  }

  restore(s) {
    if (s.ex === undefined && s.exseed === undefined) return;
    this.pending = { ex: s.ex, exseed: s.exseed, exans: s.exans };
    if (this.set) {
      const seed = parseInt(s.exseed, 10);
      this.load(Number.isFinite(seed) ? seed : this.set.seed);
    }
  }
}

// The prompt as the terminal prints it: sentences, then the names block (lines indented by two
// spaces: a name, then its value, shape or meaning), shown here as a table.
function promptElements(text) {
  const out = [];
  let table = null;
  for (const line of text.split("\n")) {
    const row = /^ {2}(\S(?:.*?\S)?) {2,}(\S.*)$/.exec(line);
    if (row) {
      if (!table) out.push(table = h("dl", { className: "exercise-names" }));
      table.append(h("div", {}, h("dt", { text: row[1] }), h("dd", { text: row[2] })));
      if (row[2].length > 18) table.classList.add("long");   // sentences: one per line
    } else if (line.trim()) {
      table = null;
      out.push(h("p", { text: line }));
    }
  }
  return out;
}
