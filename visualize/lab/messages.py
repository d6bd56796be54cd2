# ruff: noqa: E501  (a catalog: one whole sentence per line, as translators read it)
"""Every sentence the lab's page shows, by message id: the lab's one catalog, in English, each
message marked for the project's gettext catalogs (``autograd.i18n``: ``N_`` here, translated
by ``tr`` in the page's language; see docs/languages.md).

The page gets this table from ``lab.init``, in the language it asks for, and writes every
label, button, hint, verdict and error from it (``t(id, params)`` in ``static/js/i18n.js``);
the session's errors carry an id and parameters too. Each entry is a whole sentence or label
with ``{name}`` placeholders, never a fragment to be glued to another, so that a translation
can reorder the words. Parameters are numbers, names and formulas; the engine's own messages
(a refused formula, say) arrive as ``{message}``, in the language the engine has them in.
"""

from __future__ import annotations

from autograd.extend import N_, languages, lookup, using_language

__all__ = ["MESSAGES", "LANGUAGE_NAMES", "catalog", "render", "translated", "choose_language",
           "page_languages"]

# Each language by its own name, as the page's switch shows it.
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}

MESSAGES: dict[str, str] = {
    # page and modes
    "app_title": N_("backprop lab"),
    "app_tagline": N_("the real engine, live"),
    "mode_expression": N_("Expression"),
    "mode_network": N_("Network"),
    "mode_train": N_("Train"),
    "mode_expression_hint": N_("Type a formula; drag the values; hover an edge, click a value."),
    "mode_network_hint": N_("One sample through a network; click a weight to change it."),
    "mode_train_hint": N_("Mini-batch SGD on a data set, step by step or playing."),
    "loading": N_("Starting the engine…"),
    "working": N_("Computing…"),
    "connection_lost": N_("The lab's engine does not answer ({message}). Is the server still running?"),
    "session_restarted": N_("The engine was restarted; the view was rebuilt from the page."),
    "export_svg": N_("Export SVG"),
    "export_page": N_("Export backward page"),
    "export_page_needs_full": N_("The backward page needs the full view of a graph of at most {limit} values."),
    "copy_link": N_("Copy link"),
    "language_label": N_("Language"),
    # the widget's still picture (a notebook without its kernel)
    "still_name": N_("name"),
    "still_value": N_("value"),
    "still_grad": N_("∂out/∂name"),
    "still_note": N_("A still picture of the lab: run the notebook to use it."),
    "link_copied": N_("Link copied: it opens this exact view."),
    "zoom_in": N_("Zoom in"),
    "zoom_out": N_("Zoom out"),
    "zoom_fit": N_("Fit"),
    "graph_empty": N_("No graph yet: type a formula."),
    "graph_too_big": N_("This graph has {count} values; the lab draws at most {limit}. The values and gradients are still computed."),
    "graph_drawing_failed": N_("Graphviz could not lay out this graph: {message}"),
    "legend_fill": N_("fill: |gradient| ÷ the largest (parameters and other values apart), per decade:"),
    "legend_bucket": N_("≤ {bound}"),
    "legend_border": N_("border:"),
    "legend_no_grad": N_("no gradients yet"),
    "kind_parameter": N_("parameter (double)"),
    "kind_input": N_("input (rounded)"),
    "kind_leaf": N_("your value (thick)"),
    "kind_constant": N_("constant (dotted, no fill)"),
    "kind_intermediate": N_("computed (thin)"),
    # expression mode
    "formula_label": N_("Formula"),
    "formula_placeholder": N_("for example tanh(x*w + b)"),
    "formula_help": N_("Numbers, names, + - * / **, and exp, log, tanh, sigmoid, relu. Nothing else runs."),
    "values_heading": N_("Values"),
    "values_none": N_("This formula has no names: it is a constant."),
    "output_line": N_("{name} = {value}"),
    "grad_of_output": N_("∂{output}/∂{name} = {value}"),
    "leaf_value_label": N_("value of {name}"),
    "leaf_slider_label": N_("slider for {name}"),
    # errors (session)
    "formula_refused": N_("{message}"),
    "formula_too_long": N_("The formula has {count} characters; at most {limit} are read. Nothing was computed."),
    "formula_evaluate": N_("Could not evaluate the formula: {message}"),
    "too_many_names": N_("The formula has {count} names; the lab gives sliders to at most {limit}."),
    "name_reserved": N_("The name {name} is reserved for the formula's result; choose another name."),
    "engine_error": N_("{message}"),
    "internal_error": N_("Internal error ({kind}: {message}); please report it with what you did."),
    "unknown_method": N_("Unknown request {method}."),
    "bad_request": N_("Bad request: {message}"),
    "bad_param": N_("Bad request: {name} must be {expected}."),
    "request_too_large": N_("The request has {count} bytes; at most {limit} are read."),
    "session_unknown": N_("This page's session has ended (the server restarted or closed it)."),
    "no_graph": N_("There is no graph in this mode yet."),
    "unknown_node": N_("{node} is not a value of the current picture."),
    # explain
    "explain_heading": N_("Explain"),
    "explain_hint": N_("Hover an edge for its local derivative; click a value for its gradient as a sum over paths."),
    "explain_edge_caption": N_("Local derivative of {op}, with the numbers plugged in"),
    "explain_edge_collapsed": N_("This edge stands for several: in the full view, or after expanding the neuron, each has its own local derivative."),
    "explain_value_caption": N_("∂{output}/∂{name}: the sum over every path of the product of the local derivatives on it"),
    "explain_value_paths": N_("{count} paths"),
    "explain_value_summary": N_("{count} paths: too many to list, so the sum is shown as a total."),
    "explain_value_root": N_("{name} is the output itself: its gradient is 1 (the seed of backward)."),
    "explain_sgd_caption": N_("One SGD step with learning rate α = {lr}"),
    "learning_rate_label": N_("α (learning rate)"),
    "explain_collapsed_click": N_("Click expands this neuron in place; click an expanded value to explain it."),
    "explain_layer_click": N_("A layer record: switch to the neuron or full view to explain one value."),
    # step
    "step_heading": N_("Step"),
    "step_prev": N_("◀ back"),
    "step_next": N_("next ▶"),
    "step_keys": N_("Keys: ← →, Home, End"),
    "step_first": N_("first"),
    "step_last": N_("last"),
    "step_counter": N_("step {k} of {n}"),
    "step_seed": N_("{root}.grad = 1: the seed, ∂{root}/∂{root}. Every other gradient starts at 0."),
    "step_text": N_("{parent}.grad += {local} × {grad} = {contribution}, so {parent}.grad = {total}"),
    "step_why": N_("The local derivative ∂{node}/∂{parent} = {local} (op {op}) times {node}.grad = {grad}."),
    "step_collect": N_("{parent} is used {uses} times: this is contribution {k} of {uses}; its gradient is their sum (+=)."),
    "step_done": N_("Done: every value holds ∂{root}/∂value, what backward() leaves."),
    "steps_need_full_view": N_("Stepping needs the full view (one box per value)."),
    "step_full_view": N_("Show the full view"),
    "steps_too_big": N_("This graph has {count} values; stepping shows at most {limit}."),
    # check
    "check_heading": N_("Check"),
    "check_hint": N_("Type your own formula for ∂{output}/∂(the value you choose); the derivation checker says whether it is right and, if not, which slip it is."),
    "check_wrt_label": N_("with respect to"),
    "check_input_label": N_("your ∂{output}/∂{name}"),
    "check_input_placeholder": N_("for example x*(1 - tanh(x*w + b)**2)"),
    "check_run": N_("Check"),
    "check_names": N_("Names you may use: {names}"),
    "check_running": N_("Checking at the current values and at random points…"),
    "check_right": N_("Right: your formula equals {head} at the current values and at {points} random points."),
    "check_proved": N_("SymPy proves the two equal."),
    "check_not_proved": N_("SymPy could not decide in time; the numbers agree."),
    "check_wrong": N_("Not right."),
    "check_refused": N_("{message}"),
    "diag_coincidence": N_("Right at these values only, a coincidence: it differs at {count} of {points} random points."),
    "diag_undefined": N_("Your formula cannot be evaluated at {count} of {points} points where the graph can."),
    "diag_zero": N_("Your formula is 0 where {head} is not."),
    "diag_tiny": N_("The difference is below the tolerance at every point, but SymPy shows that it is real."),
    "check_unconfirmed": N_("Not confirmed: at some points your formula and {head} differ by less than the rounding error of large terms that cancel, and SymPy could not settle it."),
    "diag_wrong": N_("It is not a constant multiple of {head}, nor off by one local-derivative factor."),
    "diag_sign": N_("The sign is flipped."),
    "diag_factor": N_("Off by a factor of {factor}."),
    "diag_missing": N_("A factor is missing:"),
    "diag_extra": N_("An extra factor:"),
    "check_table_point": N_("point"),
    "check_table_formula": N_("yours"),
    "check_table_engine": N_("engine"),
    "check_point_current": N_("current"),
    "check_point_random": N_("random {k}"),
    # check mode's exercises (nn.exercises)
    "check_source_own": N_("Your own derivative"),
    "check_source_exercises": N_("Exercises"),
    "exercise_seed_label": N_("set of exercises (seed)"),
    "exercise_new_seed": N_("New set"),
    "exercise_pick_label": N_("exercise"),
    "exercise_option": N_("{number}. {title}"),
    "exercise_option_unavailable": N_("{number}. (needs numpy, not in this browser)"),
    "exercise_needs_numpy": N_("Exercise {number} checks vectorized formulas with numpy, which this Python does not have (the static site runs without it): use the local lab or a notebook for exercises 7 to 13."),
    "exercise_prev": N_("◀ previous"),
    "exercise_next": N_("next one ▶"),
    "exercise_answer_label": N_("your answer"),
    "exercise_answer_placeholder": N_("a formula over the names above (or a number)"),
    "exercise_share": N_("The seed is in this page's link: everyone who opens it gets the same numbers."),
    "exercise_right": N_("Right"),
    "exercise_wrong": N_("Not right"),
    "exercise_refused": N_("Refused: nothing was run"),
    "exercise_kinds": N_("kind of slip: {kinds}"),
    "exercise_solved": N_("{done} of {count} right in this set"),
    # network
    "network_preset_label": N_("Network"),
    "preset_seed": N_("3-4-1 sigmoid (the reference text's)"),
    "preset_micrograd": N_("2-16-16-1 ReLU (micrograd's)"),
    "preset_custom": N_("your own sizes"),
    "sizes_label": N_("sizes (inputs, hidden…, outputs)"),
    "sizes_bad": N_("Sizes are whole numbers separated by commas or dashes, such as 3-4-1."),
    "activation_label": N_("hidden activation"),
    "output_activation_label": N_("output activation"),
    "seed_label": N_("random seed"),
    "sample_heading": N_("One sample"),
    "target_label": N_("target y"),
    "network_loss": N_("L = ½(ŷ − y)² = {loss}"),
    "network_prediction": N_("ŷ = {value}"),
    "weights_heading": N_("Weights you clicked"),
    "weights_hint": N_("Click a weight (an edge of the network) to get its slider."),
    "weight_remove": N_("remove"),
    "view_label": N_("loss graph view"),
    "view_full": N_("full: every value"),
    "view_neuron": N_("neurons collapsed"),
    "view_layer": N_("layers collapsed"),
    "view_plate": N_("plate"),
    "plate_samples": N_("The plate view draws what repeats per sample once, so here L is the mean over {samples} samples: yours and others drawn at random."),
    "show_label": N_("edges show"),
    "show_weights": N_("weights"),
    "show_grads": N_("∂L/∂W"),
    "pane_network": N_("Network diagram"),
    "pane_graph": N_("Loss graph"),
    "pane_widen": N_("Widen this pane (again: both)"),
    "expand_reset": N_("collapse all"),
    "network_too_big": N_("Networks up to {limit} neurons per layer, {layers} hidden layers and {inputs} inputs."),
    "network_output": N_("The lab's networks have one output."),
    # train
    "dataset_label": N_("data set"),
    "dataset_moons": N_("moons"),
    "dataset_xor": N_("XOR"),
    "dataset_circles": N_("circles"),
    "dataset_spiral": N_("spiral"),
    "dataset_seed": N_("the reference text's regression (3 inputs)"),
    "dataset_csv": N_("your CSV"),
    "csv_label": N_("CSV: one sample per line, the inputs then the target; an optional header line"),
    "csv_placeholder": N_("x1,x2,y\n0.5,1.2,1\n-0.3,0.8,0"),
    "csv_too_long": N_("The CSV has {count} characters; at most {limit} are read."),
    "csv_too_many_rows": N_("The CSV has {count} rows; at most {limit} are used."),
    "csv_too_few_rows": N_("The CSV needs at least 2 rows of numbers."),
    "csv_columns": N_("Row {row} has {count} columns; every row needs the same number, from 2 to {limit}."),
    "csv_not_number": N_("Row {row}, column {column}: {text} is not a number."),
    "csv_empty": N_("Paste a CSV first."),
    "layers_label": N_("hidden layers (sizes)"),
    "layers_bad": N_("Hidden layer sizes are whole numbers from 1 to {limit}, at most {layers} layers, such as 16,16."),
    "loss_label": N_("loss"),
    "loss_mse": N_("mean squared error"),
    "loss_half_mse": N_("½(ŷ − y)², the reference text's"),
    "loss_bce": N_("binary cross-entropy (logits)"),
    "loss_hinge": N_("hinge (micrograd's)"),
    "loss_needs_labels": N_("The {loss} loss needs class labels 0 and 1; this data set has other targets."),
    "lr_label": N_("learning rate"),
    "batch_label": N_("batch size"),
    "train_setup": N_("Reset"),
    "train_play": N_("Play"),
    "train_pause": N_("Pause"),
    "train_step": N_("One step"),
    "train_status": N_("step {step} · epoch {epoch} · {samples} samples"),
    "train_loss": N_("loss {loss}"),
    "train_accuracy": N_("accuracy {accuracy}"),
    "train_curve": N_("Loss on the whole data set"),
    "train_boundary": N_("Decision boundary and data"),
    "train_fit": N_("Predictions against targets"),
    "train_chosen_hint": N_("Click a weight in the network to follow its gradient at every step."),
    "train_chosen_caption": N_("{name} at step {step}: gradient of the batch loss, and its SGD update"),
    "train_chosen_paths": N_("Its gradient as a sum over paths through this batch:"),
    "train_chosen_step": N_("{name} is chosen: its gradient is explained at the next step."),
    "train_diagram": N_("The network, weights changing as it trains"),
    "train_none": N_("Press Reset to build the network and the data."),
    "train_diverged": N_("The loss is no longer a finite number: lower the learning rate and reset."),
    "steps_per_call": N_("at most {limit} steps per request"),
}


def translated(text: str) -> str:
    """``text`` (an English message of this catalog) in the current language, its
    placeholders left in place for the page (or ``render``) to fill."""
    return lookup(text)


def page_languages() -> list[dict[str, str]]:
    """The languages the page offers: code and own name, English first."""
    return [{"code": code, "name": LANGUAGE_NAMES.get(code, code)} for code in languages()]


def choose_language(*wishes) -> str:
    """The first of ``wishes`` there are messages for (a code such as ``"zh"``, a locale name
    such as ``"zh_CN.UTF-8"`` or a browser's ``"zh-CN"``; None and unknown ones skipped);
    English when none is."""
    available = languages()
    for wish in wishes:
        if isinstance(wish, str) and wish.strip():
            code = wish.strip().replace("-", "_").split("_")[0].split(".")[0].lower()
            if code in available:
                return code
    return "en"


def catalog(language: str | None = None) -> dict[str, str]:
    """The page's texts in ``language`` (a code the project has messages for; None: the
    current language)."""
    with using_language(language):
        return {key: translated(text) for key, text in MESSAGES.items()}


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(message_id: str, params: dict | None = None) -> str:
    """The text of a message, in the current language, with its parameters filled in."""
    text = translated(MESSAGES[message_id]) if message_id in MESSAGES else message_id
    return text.format_map(_Keep({k: _show(v) for k, v in (params or {}).items()}))


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
