"""check_vectorized: right formulas pass in any equal form, every slip is named at the text's
3-4-1 sigmoid network and at a 2-3-2 tanh network, hostile formulas never run, and shapes that
do not fit (or are huge) are a report, not a NumPy error."""

import html.parser

import numpy as np
import pytest

import nn.vectorized_check as vcheck
import nn.vformula as vformula
from nn import MLP, VectorizedMLP, check_vectorized
from nn.vectorized_check import KINDS, MESSAGES
from nn.vformula import FormulaError


def seed_network():
    """The text's 3-4-1 network (sigmoid everywhere) and a batch of 10 samples."""
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    rng = np.random.default_rng(0)
    return VectorizedMLP.from_mlp(model), rng.uniform(-1, 1, (3, 10)), rng.uniform(size=(1, 10))


def tanh_network():
    """A 2-3-2 tanh network and a batch of 7 samples."""
    rng = np.random.default_rng(1)
    vm = VectorizedMLP([rng.normal(size=(3, 2)), rng.normal(size=(2, 3))],
                       [rng.normal(size=(3, 1)), rng.normal(size=(2, 1))], "tanh")
    return vm, rng.normal(size=(2, 7)), rng.uniform(-1, 1, size=(2, 7))


NETWORKS = {"3-4-1 sigmoid": seed_network, "2-3-2 tanh": tanh_network}
G = {"3-4-1 sigmoid": "sigmoid", "2-3-2 tanh": "tanh"}   # {g} in the formulas below

RIGHT = [   # (wrt, equal forms of ∂L/∂wrt)
    ("A2", ["(A2 - Y) / m", "(A2 - Y) * (1/m)", "-(Y - A2) / m"]),
    ("Z2", ["(A2 - Y) / m * {g}_prime(Z2)", "dA2 * {g}_prime(Z2)", "{g}_prime(Z2) * dA2"]),
    ("W2", ["dZ2 @ A1.T", "(dZ2 @ A1.T)", "(A1 @ dZ2.T).T", "dZ2 @ {g}(Z1).T"]),
    ("b2", ["sum(dZ2, axis=1)", "np.sum(dZ2, axis=1, keepdims=True)", "sum(dZ2, 1)"]),
    ("A1", ["W2.T @ dZ2", "(dZ2.T @ W2).T"]),
    ("Z1", ["dA1 * {g}_prime(Z1)", "(W2.T @ dZ2) * {g}_prime(Z1)"]),
    ("W1", ["dZ1 @ X.T", "dZ1 @ A0.T", "(X @ dZ1.T).T"]),
    ("b1", ["sum(dZ1, axis=1)", "sum(dZ1.T, axis=0).T"]),
    ("X", ["W1.T @ dZ1"]),
]


@pytest.mark.parametrize("net", NETWORKS)
@pytest.mark.parametrize("wrt, forms", RIGHT)
def test_right_answers_pass_in_every_equal_form(net, wrt, forms):
    vm, X, Y = NETWORKS[net]()
    for form in forms:
        report = check_vectorized(form.format(g=G[net]), vm, X, Y, wrt)
        assert report.ok and bool(report), str(report)
        assert report.kinds == [] and report.diagnoses == []
        assert report.shape == report.truth_shape and len(report.batches) == 6
        assert report.verdict.startswith(f"Right: {form.format(g=G[net])} is ∂L/∂{wrt} at "
                                         "your batch and at 5 random batches.")


def test_the_tanh_form_of_the_derivative():
    vm, X, Y = tanh_network()
    assert check_vectorized("(A2 - Y)/m * (1 - A2**2)", vm, X, Y, "Z2").ok
    assert check_vectorized("(A2 - Y)/m * (1 - tanh(Z2)**2)", vm, X, Y, "Z2").ok


def test_an_nn_mlp_is_accepted_and_nothing_changes():
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    before = [(p.data, p.grad) for p in model.parameters()]
    vm, X, Y = seed_network()
    weights = [W.copy() for W in vm.W] + [b.copy() for b in vm.b]
    assert check_vectorized("dZ2 @ A1.T", model, X, Y, "W2").ok
    assert not check_vectorized("A1 @ dZ2.T", vm, X, Y, "W2").ok
    assert [(p.data, p.grad) for p in model.parameters()] == before
    assert all(np.array_equal(a, b) for a, b in zip(vm.W + vm.b, weights))
    assert vm.grads is None and vm.loss is None


# Each slip as a wrong answer at each network: (wrt, formula, kinds). {g} is the activation,
# {other} another one's derivative.
SLIPS = [
    ("W2", "X.T @ X", ["shape"]),
    ("W2", "0", ["shape"]),
    ("W2", "A1 @ dZ2.T", ["shape", "transpose"]),
    ("W2", "dZ2 @ A1", ["shape", "transpose"]),
    ("A1", "W2 @ dZ2", ["shape", "transpose"]),
    ("W2", "A1.T @ dZ2", ["shape", "order"]),
    ("Z1", "dA1 @ {g}_prime(Z1)", ["shape", "product"]),
    ("b1", "sum(dZ1, axis=0)", ["shape", "axis"]),
    ("b2", "sum(dZ2, axis=0)", ["shape", "axis"]),
    ("b1", "dZ1", ["shape", "missing_sum"]),
    ("b2", "dZ2", ["shape", "missing_sum"]),
    ("Z2", "(A2 - Y) * {g}_prime(Z2)", ["missing_mean"]),
    ("W2", "dZ2 @ A1.T / m", ["extra_mean"]),
    ("Z2", "(Y - A2) / m * {g}_prime(Z2)", ["sign"]),
    ("W1", "-dZ1 @ X.T", ["sign"]),
    ("Z2", "2 * (A2 - Y) / m * {g}_prime(Z2)", ["scale"]),
    ("W1", "dZ1 @ X.T / 3", ["scale"]),
    ("Z2", "(A2 - Y) / m", ["missing_factor"]),
    ("W2", "(A2 - Y) / m @ A1.T", ["missing_factor"]),
    ("W2", "(A2 - Y) @ A1.T", ["missing_factor", "missing_mean"]),
    ("Z1", "dA1 * {g}_prime(Z1) * {g}_prime(Z1)", ["extra_factor"]),
    ("Z1", "dA1 * {g}(Z1)", ["activation"]),
    ("Z1", "dA1 * {g}_prime(A1)", ["activation"]),
    ("Z1", "dA1 * {other}_prime(Z1)", ["activation"]),
    ("W1", "dZ1 @ A1.T", ["shape", "layer"]),
    ("W2", "dZ2 @ A2.T", ["shape", "layer"]),
    ("Z2", "(A2 - Y) / 7 * {g}_prime(Z2)", ["coincidence", "constant_m"]),
    ("W2", "dZ2 @ A1.T + 1", ["wrong"]),
    ("Z2", "log(A2 - Y - 5)", ["undefined"]),
]


@pytest.mark.parametrize("net", NETWORKS)
@pytest.mark.parametrize("wrt, formula, kinds", SLIPS)
def test_each_slip_is_named(net, wrt, formula, kinds):
    vm, X, Y = NETWORKS[net]()
    if "/ 7" in formula:   # a batch size typed as a number: the batch must have that size
        X, Y = X[:, :7], Y[:, :7]
    other = "tanh" if G[net] == "sigmoid" else "sigmoid"
    report = check_vectorized(formula.format(g=G[net], other=other), vm, X, Y, wrt)
    assert not report and not report.ok
    assert report.kinds == kinds, report.verdict
    assert report.verdict.startswith(f"Your formula is not ∂L/∂{wrt}.")
    assert all(k in KINDS for k in report.kinds)


def test_every_documented_kind_is_triggered_by_a_slip():
    assert {k for _, _, kinds in SLIPS for k in kinds} == set(KINDS)


@pytest.mark.parametrize("net", NETWORKS)
def test_the_right_answer_triggers_none_of_the_slips(net):
    """The right answer to every wrt of SLIPS passes at the same batches."""
    vm, X, Y = NETWORKS[net]()
    right = {wrt: forms[0].format(g=G[net]) for wrt, forms in RIGHT}
    for wrt in {wrt for wrt, _, _ in SLIPS}:
        report = check_vectorized(right[wrt], vm, X, Y, wrt)
        assert report.ok and report.kinds == []


def test_the_issue_s_sentences():
    vm, X, Y = seed_network()

    def verdict(formula, wrt):
        return check_vectorized(formula, vm, X, Y, wrt).verdict

    assert "Your result is (4, 1) but ∂L/∂W2 is (1, 4): it is the transpose of the right " \
           "answer." in verdict("A1 @ dZ2.T", "W2")
    assert "Off by a factor of m = 10: the 1/m of the batch mean is missing." in \
        verdict("(A2 - Y) * sigmoid_prime(Z2)", "Z2")
    assert "A factor is missing: g′(Z2) = sigmoid_prime(Z2), entry by entry with (A2 - Y) / m." \
        in verdict("(A2 - Y) / m", "Z2")
    assert "sum(dZ1, axis=0) adds up each column, one number per sample; ∂L/∂b1 adds up each " \
           "row, one number per neuron: use axis=1." in verdict("sum(dZ1, axis=0)", "b1")
    assert "dZ2 @ A1 cannot be computed: dZ2 is (1, 10) and A1 is (4, 10), and @ needs as " \
           "many columns on the left (10) as rows on the right (4). A1 needs a transpose " \
           "here: dZ2 @ A1.T." in verdict("dZ2 @ A1", "W2")
    assert "dZ2 already holds the 1/m" in verdict("dZ2 @ A1.T / m", "W2")
    assert "the ½ of ½(ŷ - y)²" in verdict("2 * dZ2 @ A1.T", "W2")


def test_a_shape_that_fits_only_at_your_batch():
    vm, X, Y = seed_network()
    report = check_vectorized("dZ1 @ X", vm, X[:, :3], Y[:, :3], "W1")   # m = 3 = nin
    assert report.kinds == ["shape", "transpose"]
    assert report.shape == report.truth_shape == (4, 3) and report.batches[1].shape is None
    assert "can be computed at your batch only because of its sizes" in report.verdict


def test_report_fields_and_table():
    vm, X, Y = seed_network()
    report = check_vectorized("A1 @ dZ2.T", vm, X, Y, "W2")
    assert report.shape == (4, 1) and report.truth_shape == (1, 4)
    assert report.max_difference is None   # never the same shape
    assert [b.m for b in report.batches][0] == 10
    ms = [b.m for b in report.batches[1:]]
    assert len(set(ms)) == 5 and not set(ms) & {1, 3, 4}   # no layer size: no shape by chance
    wrong = check_vectorized("2 * dZ2 @ A1.T", vm, X, Y, "W2")
    truth = vm.passes(X, Y).dW[1]
    assert wrong.max_difference >= np.abs(truth).max() * 0.999
    text = str(wrong).splitlines()
    assert text[0] == "∂L/∂W2 =? 2 * dZ2 @ A1.T"
    assert text[1].split()[:2] == ["batch", "m"] and text[3].startswith("your batch")
    assert text[-1] == wrong.verdict and len(text) == 10


def test_the_same_seed_gives_the_same_report():
    vm, X, Y = seed_network()
    a = check_vectorized("A1 @ dZ2.T", vm, X, Y, "W2", seed=3)
    b = check_vectorized("A1 @ dZ2.T", vm, X, Y, "W2", seed=3)
    c = check_vectorized("A1 @ dZ2.T", vm, X, Y, "W2", seed=4, batches=3)
    assert a.batches == b.batches and a.verdict == b.verdict
    assert len(c.batches) == 4 and c.batches[1:] != a.batches[1:4]


def test_a_tiny_true_gradient_is_not_passed_by_a_wrong_answer():
    """No absolute tolerance: where the gradient is 1e-13, twice it (or 0) is still wrong."""
    vm, X, Y = seed_network()
    vm.W[1] *= 1e-12   # ∂L/∂A1 = W2.T dZ2 becomes tiny
    truth = vm.passes(X, Y).dA[1]
    assert 0 < np.abs(truth).max() < 1e-12
    for wrong in ("2 * W2.T @ dZ2", "0 * W2.T @ dZ2", "W2.T @ dZ2 * 1.001"):
        report = check_vectorized(wrong, vm, X, Y, "A1")
        assert not report.batches[0].ok and not report.ok, wrong
    assert check_vectorized("W2.T @ dZ2", vm, X, Y, "A1").ok


def test_the_tolerance_is_relative_to_the_terms():
    vm, X, Y = seed_network()
    passes = vm.passes(X, Y)
    D = passes.dW[1]
    assert check_vectorized("dZ2 @ A1.T * (1 + 1e-12)", vm, X, Y, "W2").ok
    report = check_vectorized("dZ2 @ A1.T * (1 + 1e-6)", vm, X, Y, "W2")
    assert not report.ok and report.kinds == ["wrong"] and "close to ∂L/∂W2" in report.verdict
    assert report.batches[0].max_difference == pytest.approx(1e-6 * np.abs(D).max())
    assert check_vectorized("dZ2 @ A1.T * (1 + 1e-6)", vm, X, Y, "W2", rtol=1e-5).ok


# ------------------------------------------------------------------------- refusals

HOSTILE = [
    "__import__('os').system('echo hi')", "open('/etc/passwd')", "A1.__class__",
    "A1.shape", "A1[0]", "exec('1')", "lambda: 1", "[A1 for _ in range(9**9)]",
    "9**9**9", "A1 ** 100", "A1 ** Y", "sum(A1)", "sum(A1, axis=2)", "sum(A1, axis=1, out=A1)",
    "np.dot(A1, A1)", "np.random.rand(10**9)", "sigmoid", "'text'", "A1 if m else A2",
    "A1 == A2", "(A1, A2)", "-" * 150 + "A1", "A1 + " * 500 + "A1", "", "   ",
    "sigmoid(A1, A2)", "sum(*A1)", "exp(x=A1)", "1e999", "A1 & A2", "not A1", "_secret",
]


@pytest.mark.parametrize("formula", HOSTILE)
def test_hostile_formulas_are_refused_before_anything_runs(formula, monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("something ran")

    vm, X, Y = seed_network()
    monkeypatch.setattr(vformula, "evaluate", boom)
    monkeypatch.setattr(vcheck, "evaluate", boom)
    monkeypatch.setattr(vcheck, "shape_of", boom)
    monkeypatch.setattr(VectorizedMLP, "passes", boom)
    with pytest.raises(FormulaError, match="^Refused: "):
        check_vectorized(formula, vm, X, Y, "W2")


@pytest.mark.parametrize("formula, wrt, message", [
    ("W3 @ A1", "W2", "W3 is not a name of this network; its names are: X, Y, m, A0, A1, A2,"),
    ("dW2 + Q", "W2", "Q, dW2 are not names of this network"),
    ("dZ2", "Z2", "dZ2 is the gradient the formula is asked for"),
])
def test_unknown_names_are_refused_with_the_names_there_are(formula, wrt, message, monkeypatch):
    vm, X, Y = seed_network()
    monkeypatch.setattr(VectorizedMLP, "passes", lambda *a: pytest.fail("ran"))
    with pytest.raises(FormulaError) as info:
        check_vectorized(formula, vm, X, Y, wrt)
    assert message in str(info.value)


def test_given_limits_the_gradients_a_formula_may_use():
    vm, X, Y = seed_network()
    assert check_vectorized("dZ2 @ A1.T", vm, X, Y, "W2", given=["dZ2"]).ok
    with pytest.raises(FormulaError, match="dZ1 is not given in this check; the gradients "
                                           "you may use are: dZ2"):
        check_vectorized("dZ1", vm, X, Y, "W2", given=["dZ2"])
    with pytest.raises(FormulaError, match="write the gradient from the values"):
        check_vectorized("dA2 * sigmoid_prime(Z2)", vm, X, Y, "Z2", given=[])
    with pytest.raises(ValueError, match="given may hold only gradients"):
        check_vectorized("dZ2", vm, X, Y, "W2", given=["W2"])


@pytest.mark.parametrize("kwargs, error, message", [
    ({"wrt": "W3"}, ValueError, "wrt must name a parameter or a value of this network"),
    ({"wrt": "dW2"}, ValueError, "wrt must name"),
    ({"wrt": "W2", "batches": 1}, ValueError, "batches must be an int >= 2"),
    ({"wrt": "W2", "rtol": 0}, ValueError, "rtol must be a number"),
    ({"wrt": "W2", "rtol": 0.1}, ValueError, "rtol must be a number"),
])
def test_bad_arguments_are_named(kwargs, error, message):
    vm, X, Y = seed_network()
    with pytest.raises(error, match=message):
        check_vectorized("dZ2 @ A1.T", vm, X, Y, **kwargs)


def test_bad_model_and_batch():
    vm, X, Y = seed_network()
    with pytest.raises(TypeError, match="model must be a VectorizedMLP or an nn.MLP, got list"):
        check_vectorized("dZ2 @ A1.T", [1], X, Y, "W2")
    with pytest.raises(ValueError, match=r"X must have shape \(3, m\)"):
        check_vectorized("dZ2 @ A1.T", vm, X.T, Y, "W2")
    with pytest.raises(ValueError, match="X must hold at least one sample"):
        check_vectorized("dZ2 @ A1.T", vm, X[:, :0], Y[:, :0], "W2")
    X[1, 2] = np.nan
    with pytest.raises(ValueError, match="X holds nan or inf"):
        check_vectorized("dZ2 @ A1.T", vm, X, Y, "W2")
    vm.b[0][0, 0] = np.inf
    with pytest.raises(ValueError, match="b1 holds nan or inf"):
        check_vectorized("dZ2 @ A1.T", vm, np.ones((3, 2)), np.ones((1, 2)), "W2")


# ---------------------------------------------------------------- huge and nonsense shapes

@pytest.mark.parametrize("formula, message", [
    ("X.T @ X", "X.T @ X would take 7,500,000,000 multiplications, and the checker does at "
                "most 50,000,000 in one product."),
    ("Y.T * Y", "Y.T * Y would be an array of shape (50000, 50000), 2,500,000,000 numbers, "
                "and the checker computes arrays of at most 1,000,000 numbers."),
    ("2 @ X", "2 @ X cannot be computed: @ multiplies two matrices, and 2 is a single number;"),
    ("sum(m, axis=0)", "sum(m, axis=0) cannot be computed: m is a single number"),
    ("X + W1", "X + W1 cannot be computed: X is (3, 50000) and W1 is (4, 3); + works entry "
               "by entry"),
])
def test_huge_or_nonsense_shapes_are_a_report(formula, message):
    vm, _, _ = seed_network()
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(3, 50_000)), rng.uniform(size=(1, 50_000))
    report = check_vectorized(formula, vm, X, Y, "W1")
    assert not report.ok and report.kinds[0] == "shape" and report.shape is None
    assert message in report.verdict


# ---------------------------------------------------------------------------- display

class HtmlText(html.parser.HTMLParser):
    """Feeds a page, checking that every tag is closed in order; ``text`` is what it shows."""

    def __init__(self):
        super().__init__()
        self.open, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


def test_notebook_display():
    vm, X, Y = seed_network()
    report = check_vectorized("A1 @ dZ2.T", vm, X, Y, "W2")
    page = report._repr_html_()
    checker = HtmlText()
    checker.feed(page)
    assert checker.open == []
    assert report.verdict in "".join(checker.text)
    assert "#cf222e" in page and "<table>" in page
    markdown = report._repr_markdown_()
    assert markdown.startswith(f"**❌ {report.verdict}**")
    assert markdown.count("\n|") == 8   # the head, the rule, six batches
    right = check_vectorized("dZ2 @ A1.T", vm, X, Y, "W2")
    assert "#1a7f37" in right._repr_html_() and right._repr_markdown_().startswith("**✅ Right")


def test_every_sentence_is_whole():
    """Each message starts with a capital, a name or a formula field, and ends with a full
    stop, so it can be translated as a unit."""
    for key, text in {**MESSAGES, **vformula.MESSAGES}.items():
        if key.startswith("bad_"):
            continue
        assert text.rstrip().endswith("."), key
        assert text[0].isupper() or text.startswith("{"), key
