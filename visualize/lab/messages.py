# ruff: noqa: E501  (a catalog: one whole sentence per line, as translators read it)
"""Every sentence the lab's page shows, by message id: the one English source catalog.

The page gets this table from ``lab.init`` and writes every label, button, hint, verdict and
error from it (``t(id, params)`` in ``static/js/i18n.js``); the session's errors carry an id
and parameters too. Each entry is a whole sentence or label with ``{name}`` placeholders, never
a fragment to be glued to another, so that a translation (gettext catalogs keyed by these
English texts) can reorder the words. Parameters are numbers, names and formulas; the engine's
own messages (a refused formula, say) arrive as ``{message}`` and stay in English for now.
"""

from __future__ import annotations

__all__ = ["MESSAGES", "catalog", "render"]

MESSAGES: dict[str, str] = {
    # page and modes
    "app_title": "backprop lab",
    "app_tagline": "the real engine, live",
    "mode_expression": "Expression",
    "mode_network": "Network",
    "mode_train": "Train",
    "mode_expression_hint": "Type a formula; drag the values; hover an edge, click a value.",
    "mode_network_hint": "One sample through a network; click a weight to change it.",
    "mode_train_hint": "Mini-batch SGD on a data set, step by step or playing.",
    "loading": "Starting the engine…",
    "working": "Computing…",
    "connection_lost": "The lab's engine does not answer ({message}). Is the server still running?",
    "session_restarted": "The engine was restarted; the view was rebuilt from the page.",
    "export_svg": "Export SVG",
    "export_page": "Export backward page",
    "export_page_needs_full": "The backward page needs the full view of a graph of at most {limit} values.",
    "copy_link": "Copy link",
    "link_copied": "Link copied: it opens this exact view.",
    "zoom_in": "Zoom in",
    "zoom_out": "Zoom out",
    "zoom_fit": "Fit",
    "graph_empty": "No graph yet: type a formula.",
    "graph_too_big": "This graph has {count} values; the lab draws at most {limit}. The values and gradients are still computed.",
    "graph_drawing_failed": "Graphviz could not lay out this graph: {message}",
    "legend_fill": "fill: |gradient| ÷ the largest (parameters and other values apart), per decade:",
    "legend_bucket": "≤ {bound}",
    "legend_border": "border:",
    "legend_no_grad": "no gradients yet",
    "kind_parameter": "parameter (double)",
    "kind_input": "input (rounded)",
    "kind_leaf": "your value (thick)",
    "kind_constant": "constant (dotted, no fill)",
    "kind_intermediate": "computed (thin)",
    # expression mode
    "formula_label": "Formula",
    "formula_placeholder": "for example tanh(x*w + b)",
    "formula_help": "Numbers, names, + - * / **, and exp, log, tanh, sigmoid, relu. Nothing else runs.",
    "values_heading": "Values",
    "values_none": "This formula has no names: it is a constant.",
    "output_line": "{name} = {value}",
    "grad_of_output": "∂{output}/∂{name} = {value}",
    "leaf_value_label": "value of {name}",
    "leaf_slider_label": "slider for {name}",
    # errors (session)
    "formula_refused": "{message}",
    "formula_too_long": "The formula has {count} characters; at most {limit} are read. Nothing was computed.",
    "formula_evaluate": "Could not evaluate the formula: {message}",
    "too_many_names": "The formula has {count} names; the lab gives sliders to at most {limit}.",
    "name_reserved": "The name {name} is reserved for the formula's result; choose another name.",
    "engine_error": "{message}",
    "internal_error": "Internal error ({kind}: {message}); please report it with what you did.",
    "unknown_method": "Unknown request {method}.",
    "bad_request": "Bad request: {message}",
    "bad_param": "Bad request: {name} must be {expected}.",
    "request_too_large": "The request has {count} bytes; at most {limit} are read.",
    "session_unknown": "This page's session has ended (the server restarted or closed it).",
    "no_graph": "There is no graph in this mode yet.",
    "unknown_node": "{node} is not a value of the current picture.",
    # explain
    "explain_heading": "Explain",
    "explain_hint": "Hover an edge for its local derivative; click a value for its gradient as a sum over paths.",
    "explain_edge_caption": "Local derivative of {op}, with the numbers plugged in",
    "explain_edge_collapsed": "This edge stands for several: in the full view, or after expanding the neuron, each has its own local derivative.",
    "explain_value_caption": "∂{output}/∂{name}: the sum over every path of the product of the local derivatives on it",
    "explain_value_paths": "{count} paths",
    "explain_value_summary": "{count} paths: too many to list, so the sum is shown as a total.",
    "explain_value_root": "{name} is the output itself: its gradient is 1 (the seed of backward).",
    "explain_sgd_caption": "One SGD step with learning rate α = {lr}",
    "learning_rate_label": "α (learning rate)",
    "explain_collapsed_click": "Click expands this neuron in place; click an expanded value to explain it.",
    "explain_layer_click": "A layer record: switch to the neuron or full view to explain one value.",
    # step
    "step_heading": "Step",
    "step_prev": "◀ back",
    "step_next": "next ▶",
    "step_first": "first",
    "step_last": "last",
    "step_counter": "step {k} of {n}",
    "step_seed": "{root}.grad = 1: the seed, ∂{root}/∂{root}. Every other gradient starts at 0.",
    "step_text": "{parent}.grad += {local} × {grad} = {contribution}, so {parent}.grad = {total}",
    "step_why": "The local derivative ∂{node}/∂{parent} = {local} (op {op}) times {node}.grad = {grad}.",
    "step_collect": "{parent} is used {uses} times: this is contribution {k} of {uses}; its gradient is their sum (+=).",
    "step_done": "Done: every value holds ∂{root}/∂value, what backward() leaves.",
    "steps_need_full_view": "Stepping needs the full view (one box per value).",
    "step_full_view": "Show the full view",
    "steps_too_big": "This graph has {count} values; stepping shows at most {limit}.",
    # check
    "check_heading": "Check",
    "check_hint": "Type your own formula for ∂{output}/∂(the value you choose); the derivation checker says whether it is right and, if not, which slip it is.",
    "check_wrt_label": "with respect to",
    "check_input_label": "your ∂{output}/∂{name}",
    "check_input_placeholder": "for example x*(1 - tanh(x*w + b)**2)",
    "check_run": "Check",
    "check_names": "Names you may use: {names}",
    "check_running": "Checking at the current values and at random points…",
    "check_right": "Right: your formula equals {head} at the current values and at {points} random points.",
    "check_proved": "SymPy proves the two equal.",
    "check_not_proved": "SymPy could not decide in time; the numbers agree.",
    "check_wrong": "Not right.",
    "check_refused": "{message}",
    "diag_coincidence": "Right at these values only, a coincidence: it differs at {count} of {points} random points.",
    "diag_undefined": "Your formula cannot be evaluated at {count} of {points} points where the graph can.",
    "diag_zero": "Your formula is 0 where {head} is not.",
    "diag_tiny": "The difference is below the tolerance at every point, but SymPy shows that it is real.",
    "check_unconfirmed": "Not confirmed: at some points your formula and {head} differ by less than the rounding error of large terms that cancel, and SymPy could not settle it.",
    "diag_wrong": "It is not a constant multiple of {head}, nor off by one local-derivative factor.",
    "diag_sign": "The sign is flipped.",
    "diag_factor": "Off by a factor of {factor}.",
    "diag_missing": "A factor is missing:",
    "diag_extra": "An extra factor:",
    "check_table_point": "point",
    "check_table_formula": "yours",
    "check_table_engine": "engine",
    "check_point_current": "current",
    "check_point_random": "random {k}",
    # network
    "network_preset_label": "Network",
    "preset_seed": "3-4-1 sigmoid (the reference text's)",
    "preset_micrograd": "2-16-16-1 ReLU (micrograd's)",
    "preset_custom": "your own sizes",
    "sizes_label": "sizes (inputs, hidden…, outputs)",
    "sizes_bad": "Sizes are whole numbers separated by commas or dashes, such as 3-4-1.",
    "activation_label": "hidden activation",
    "output_activation_label": "output activation",
    "seed_label": "random seed",
    "sample_heading": "One sample",
    "target_label": "target y",
    "network_loss": "L = ½(ŷ − y)² = {loss}",
    "network_prediction": "ŷ = {value}",
    "weights_heading": "Weights you clicked",
    "weights_hint": "Click a weight (an edge of the network) to get its slider.",
    "weight_remove": "remove",
    "view_label": "loss graph view",
    "view_full": "full: every value",
    "view_neuron": "neurons collapsed",
    "view_layer": "layers collapsed",
    "view_plate": "plate",
    "plate_samples": "The plate view draws what repeats per sample once, so here L is the mean over {samples} samples: yours and others drawn at random.",
    "show_label": "edges show",
    "show_weights": "weights",
    "show_grads": "∂L/∂W",
    "pane_network": "Network diagram",
    "pane_graph": "Loss graph",
    "pane_widen": "Widen this pane (again: both)",
    "expand_reset": "collapse all",
    "network_too_big": "Networks up to {limit} neurons per layer, {layers} hidden layers and {inputs} inputs.",
    "network_output": "The lab's networks have one output.",
    # train
    "dataset_label": "data set",
    "dataset_moons": "moons",
    "dataset_xor": "XOR",
    "dataset_circles": "circles",
    "dataset_spiral": "spiral",
    "dataset_seed": "the reference text's regression (3 inputs)",
    "dataset_csv": "your CSV",
    "csv_label": "CSV: one sample per line, the inputs then the target; an optional header line",
    "csv_placeholder": "x1,x2,y\n0.5,1.2,1\n-0.3,0.8,0",
    "csv_too_long": "The CSV has {count} characters; at most {limit} are read.",
    "csv_too_many_rows": "The CSV has {count} rows; at most {limit} are used.",
    "csv_too_few_rows": "The CSV needs at least 2 rows of numbers.",
    "csv_columns": "Row {row} has {count} columns; every row needs the same number, from 2 to {limit}.",
    "csv_not_number": "Row {row}, column {column}: {text} is not a number.",
    "csv_empty": "Paste a CSV first.",
    "layers_label": "hidden layers (sizes)",
    "layers_bad": "Hidden layer sizes are whole numbers from 1 to {limit}, at most {layers} layers, such as 16,16.",
    "loss_label": "loss",
    "loss_mse": "mean squared error",
    "loss_half_mse": "½(ŷ − y)², the reference text's",
    "loss_bce": "binary cross-entropy (logits)",
    "loss_hinge": "hinge (micrograd's)",
    "loss_needs_labels": "The {loss} loss needs class labels 0 and 1; this data set has other targets.",
    "lr_label": "learning rate",
    "batch_label": "batch size",
    "train_setup": "Reset",
    "train_play": "Play",
    "train_pause": "Pause",
    "train_step": "One step",
    "train_status": "step {step} · epoch {epoch} · {samples} samples",
    "train_loss": "loss {loss}",
    "train_accuracy": "accuracy {accuracy}",
    "train_curve": "Loss on the whole data set",
    "train_boundary": "Decision boundary and data",
    "train_fit": "Predictions against targets",
    "train_chosen_hint": "Click a weight in the network to follow its gradient at every step.",
    "train_chosen_caption": "{name} at step {step}: gradient of the batch loss, and its SGD update",
    "train_chosen_paths": "Its gradient as a sum over paths through this batch:",
    "train_chosen_step": "{name} is chosen: its gradient is explained at the next step.",
    "train_diagram": "The network, weights changing as it trains",
    "train_none": "Press Reset to build the network and the data.",
    "train_diverged": "The loss is no longer a finite number: lower the learning rate and reset.",
    "steps_per_call": "at most {limit} steps per request",
}


def catalog(language: str | None = None) -> dict[str, str]:
    """The page's texts for ``language``: English for now (the Chinese issue adds a language)."""
    return dict(MESSAGES)


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(message_id: str, params: dict | None = None) -> str:
    """The English text of a message with its parameters filled in."""
    text = MESSAGES.get(message_id, message_id)
    return text.format_map(_Keep({k: _show(v) for k, v in (params or {}).items()}))


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
