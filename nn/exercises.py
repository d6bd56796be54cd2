"""Exercises that say why an answer is wrong: the chain rule by hand, then the vectorized
equations with their shapes.

``exercises(seed=7)`` draws a set; ``set[n]`` is exercise n, numbered from 1 as the terminal
(``python -m demos.exercises``) shows them, and ``set[n].check(answer)`` returns a
:class:`Result` that prints in a terminal and shows as HTML or Markdown in a notebook. The
same seed gives the same values, so a class can share one.

1-6 are about one sigmoid neuron and the text's 3-4-1 network on one sample, checked with
``autograd.check_derivative`` (a number for 1, a formula over the labels for 2-6); 7-13 are
the vectorized backward pass of the same network on a batch (dZ2, dW2, db2, dA1, dZ1, dW1,
db1, each allowed to use the ones before), checked with :func:`nn.check_vectorized`.

Every sentence a person reads is a whole sentence in ``TEXT`` (or in the checkers' own
catalogues), with named fields, marked for translation and shown in the reader's language
(``autograd.i18n``): a set drawn in Chinese asks and checks in Chinese.
"""

from __future__ import annotations

import html
import math
import pathlib
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

try:
    import numpy as np
except ImportError:   # Pyodide on the lab's static site: exercises 1-6 only (see exercises())
    np = None

from autograd import Value, check_derivative
from autograd.extend import N_, language, listed, sentences, tr, using_language, width
from autograd.extend import labels as label_format
from nn.layers import MLP

if np is not None:
    from nn.vectorized import VectorizedMLP
    from nn.vectorized_check import VectorizedCheck, check_vectorized, html_report
    from nn.vformula import FormulaError, ShapeProblem, evaluate, parse_vectorized, shape_of
else:
    from nn.scalar_answers import (
        FormulaError,
        ShapeProblem,
        VectorizedCheck,
        evaluate,
        html_report,
        parse_vectorized,
        shape_of,
    )

__all__ = ["exercises", "ExerciseSet", "Exercise", "Result", "read_answers", "TEXT"]

VALUE_RTOL = 1e-3   # a typed number is right when it agrees to 3 significant digits

TEXT = {
    # titles
    "t_value": N_("The value of a neuron."),
    "t_local": N_("A local derivative."),
    "t_upstream": N_("An upstream gradient."),
    "t_w2": N_("The text's first derivation: ∂L/∂W[2]_11."),
    "t_w1": N_("The text's second derivation: ∂L/∂W[1]_21."),
    "t_twice": N_("A value used twice."),
    "t_vector": N_("The vectorized backward pass: {head}."),
    # prompts
    "neuron": N_("A sigmoid neuron has two inputs: z = w1·x1 + w2·x2 + b and a = σ(z) = "
                 "1/(1 + e^(-z))."),
    "loss": N_("Its loss on one sample is L = ½(a - y)²."),
    "ask_value": N_("What is the value of a? Type a number (3 significant digits are enough) or "
                    "a formula over the values below."),
    "ask_local": N_("Write ∂a/∂z as a formula. You may use the labels below; a and z stand for "
                    "their values."),
    "ask_upstream": N_("Write ∂L/∂z as a formula over the labels below."),
    "network": N_("The text's 3-4-1 network (sigmoid in both layers) gets one sample x_1, x_2, "
                  "x_3 with target y, and L = ½(a[2]_1 - y)²."),
    "labels": N_("Write a label without its brackets: W[2]_11 is W2_11, a[1]_1 is a1_1, z[2]_1 is "
                 "z2_1."),
    "ask_w2": N_("Write ∂L/∂W[2]_11 as a formula: W[2]_11 carries a[1]_1 into the output neuron."),
    "ask_w1": N_("Write ∂L/∂W[1]_21 as a formula: W[1]_21 carries x_2 into hidden neuron 1."),
    "twice": N_("The neuron gets a shortcut: out = a + x1, so x1 reaches out along two paths."),
    "ask_twice": N_("Write ∂out/∂x1 as a formula over the labels below."),
    "batch": N_("The same 3-4-1 network takes a batch of m = {m} samples, one per column of X, "
                "with the loss L = (1/m) Σ_i ½(ŷ(i) - y(i))², as VectorizedMLP.backward uses."),
    "forward": N_("The forward pass is Z1 = W1 @ X + b1, A1 = sigmoid(Z1), Z2 = W2 @ A1 + b2, "
                  "A2 = sigmoid(Z2)."),
    "ask_vector": N_("Write {head} as one formula (@ for a matrix product, * entry by entry, .T, "
                     "sum(M, axis=0|1), sigmoid_prime(Z))."),
    "may_use": N_("Besides the forward values you may use {given}."),
    "may_use_none": N_("Use only the forward values: no gradient is given yet."),
    "names": N_("The names you may use:"),
    # verdicts
    "right_value": N_("Right: {name} = {value:.6g}."),
    "right_formula": N_("Right: {answer} is {head} at the current values and at {n} random "
                        "points."),
    "not_value": N_("Your value {got:.6g} is not {name}."),
    "not_formula": N_("Your formula is not {head}."),
    "close_value": N_("It is close: give at least 3 significant digits."),
    "wrong_value": N_("It matches none of the usual slips; work through z = w1·x1 + w2·x2 + b, "
                      "then a = σ(z), once more."),
    "undefined_value": N_("Your answer cannot be evaluated (a log of a number <= 0, or a division "
                          "by 0)."),
    "unknown_value": N_("{name} is not one of the values given here; they are: {names}."),
    "scalar_not_matrix": (N_("This exercise asks for a formula of single numbers; the matrix "
                             "gradients dZ2, dW2, db2, dA1, dZ1, dW1 and db1 are exercises 7 to "
                             "13 (dW2 is exercise 8).")),
    # typical slips
    "slip_no_activation": N_("That is z, the weighted sum; a is σ(z)."),
    "slip_no_bias": N_("The bias b is missing from z."),
    "slip_exponent_sign": N_("That is σ(-z): σ(z) = 1/(1 + e^(-z)) has a minus sign in the "
                             "exponent."),
    "slip_g_not_gprime": N_("a is σ(z) itself; ∂a/∂z is its derivative, σ′(z) = σ(z)(1 - σ(z))."),
    "slip_gprime_of_z": N_("σ′(z) = σ(z)(1 - σ(z)) is written with σ(z), which is a, not with z."),
    "slip_no_local": N_("∂L/∂z = ∂L/∂a · ∂a/∂z: the local derivative ∂a/∂z = a(1 - a) is "
                        "missing."),
    "slip_weight_for_input": N_("∂z[2]_1/∂W[2]_11 is the input that W[2]_11 multiplies, a[1]_1, "
                                "not the weight itself."),
    "slip_wrong_input": N_("W[1]_21 carries x_2 (input 2 into neuron 1), so the last factor is "
                           "x_2, not x_1."),
    "slip_one_path_neuron": N_("x1 reaches out along two paths, so its gradient is the sum of "
                               "both (the += of backward); you followed only the one through the "
                               "neuron."),
    "slip_one_path_direct": N_("x1 reaches out along two paths, so its gradient is the sum of "
                               "both (the += of backward); you followed only the direct one."),
    # grading a file of answers
    "no_answer": N_("Exercise {number} has no answer in {path}."),
    "bad_line": N_("{path}, line {line}: write each answer as 'N: answer', with N the exercise "
                   "number."),
    "twice_answered": N_("{path}, line {line}: exercise {number} is answered twice."),
    "no_exercise": N_("There is no exercise {number}: this set has exercises 1 to {count}."),
}


def _sentence(text: str) -> str:
    """A checker's message as a sentence: a full stop last (。 in Chinese), and a capital first
    when it starts with a plain word ("a factor is missing", not "dZ1 is")."""
    text = text.strip()
    if re.match(r"[a-z]+[ :]", text) and width(text) == len(text):   # not Chinese: no capitals
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "。")) else tr(_FULL_STOP, sentence=text)


# TRANSLATORS: a checker's diagnosis made a sentence: its full stop (。 in Chinese)
_FULL_STOP = N_("{sentence}.")


@dataclass
class Result:
    """What :meth:`Exercise.check` says: truthy when right.

    Attributes:
        number: the exercise.
        answer: the answer as given.
        ok: right or not.
        refused: the answer is not a formula the checker accepts (nothing was run).
        verdict: whole sentences: right, or not and why.
        kinds: the slips' kinds (the checker's, and the exercise's typical slips).
        report: the checker's own report (``VectorizedCheck`` or ``DerivativeCheck``), or
            None for a number or a refusal.
    """

    number: int
    answer: str
    ok: bool
    verdict: str
    kinds: list[str] = field(default_factory=list)
    refused: bool = False
    report: Any = None

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        return self.verdict

    def _repr_markdown_(self) -> str:
        if isinstance(self.report, VectorizedCheck):
            return self.report._repr_markdown_()
        mark = "✅" if self.ok else "❌"
        return f"**{mark} {self.verdict}**\n\n`{self.answer}`"

    def _repr_html_(self) -> str:
        if isinstance(self.report, VectorizedCheck):
            return self.report._repr_html_()
        return html_report(self.ok, self.verdict, self.answer, [()])


@dataclass
class Exercise:
    """One exercise: ``prompt`` (whole sentences and the names), ``check(answer)``.

    Attributes:
        number: 1 to 13, as the terminal shows it.
        title: one sentence.
        prompt: what to compute, and the names the answer may use with their values or shapes.
        solution: one right answer (there are many equal forms).
    """

    number: int
    title: str
    prompt: str
    solution: str
    _check: Callable[[int, str], Result] = field(repr=False)
    language: str = field(default_factory=language, repr=False)   # it asks and checks in it

    def check(self, answer) -> Result:
        """Check an answer (a formula, or for exercise 1 also a number); never raises. The
        verdict is in the language the exercise was drawn in."""
        with using_language(self.language):
            return self._check(self.number, str(answer))

    def _repr_markdown_(self) -> str:
        return f"**{self.number}. {html.escape(self.title)}**\n\n```text\n{self.prompt}\n```"

    def __str__(self) -> str:
        return f"{self.number}. {self.title}\n{self.prompt}"


class ExerciseSet:
    """Exercises numbered from 1: ``set[n]``, ``len(set)``, ``for exercise in set``."""

    def __init__(self, seed: int, items: list[Exercise]):
        self.seed, self._items = seed, items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._items)

    def __getitem__(self, number: int) -> Exercise:
        if isinstance(number, bool) or not isinstance(number, int) or \
                not 1 <= number <= len(self._items):
            raise IndexError(TEXT["no_exercise"].format(number=number, count=len(self._items)))
        return self._items[number - 1]

    def grade(self, number: int, answers: dict[int, str], path: str = "the answers") -> \
            str | None:
        """None when exercise ``number`` is answered right in ``answers``; else why not."""
        if number not in answers:
            with using_language(self._items[0].language if self._items else None):
                return tr(TEXT["no_answer"], number=number, path=path)
        result = self[number].check(answers[number])
        return None if result.ok else f"{number}. {answers[number]}\n{result.verdict}"

    def pytest_file(self) -> str:
        """A pytest file that checks a student's answers file against this set (one test per
        exercise, the diagnosis in each failure's message)."""
        return _PYTEST_FILE.format(seed=self.seed, count=len(self))


def read_answers(path) -> dict[int, str]:
    """Answers from a text file: one per line as ``N: answer``; blank lines and lines starting
    with # are skipped.

    Raises:
        ValueError: a line not of that form, or an exercise answered twice (naming the line).
    """
    answers: dict[int, str] = {}
    lines = pathlib.Path(path).read_text(encoding="utf-8").splitlines()
    for line_number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        match = re.fullmatch(r"(\d+)\s*:\s*(.+)", text)
        if not match:
            raise ValueError(tr(TEXT["bad_line"], path=path, line=line_number))
        number = int(match.group(1))
        if number in answers:
            raise ValueError(tr(TEXT["twice_answered"], path=path, line=line_number,
                                number=number))
        answers[number] = match.group(2).strip()
    return answers


_PYTEST_FILE = '''"""Checks answers to the backprop-lab exercises drawn with seed {seed}.

Written by `python -m demos.exercises --seed {seed} --export-tests FILE`. The answers file is
answers.txt next to this file, or the file named by the EXERCISE_ANSWERS environment
variable. It holds one answer per line as `N: answer` (N from 1 to {count}); blank lines and
lines starting with # are skipped, for example:

    1: 0.6225
    8: dZ2 @ A1.T

Each exercise is one test; a wrong answer fails with the checker's diagnosis.
"""

import os
import pathlib

import pytest

from nn.exercises import exercises, read_answers

SEED = {seed}
ANSWERS = pathlib.Path(os.environ.get("EXERCISE_ANSWERS",
                                      pathlib.Path(__file__).with_name("answers.txt")))
SET = exercises(seed=SEED)


@pytest.fixture(scope="module")
def answers():
    return read_answers(ANSWERS)


@pytest.mark.parametrize("number", range(1, {count} + 1))
def test_exercise(number, answers):
    problem = SET.grade(number, answers, str(ANSWERS))
    if problem:
        pytest.fail(problem, pytrace=False)
'''


# ------------------------------------------------------------------------------- checking

def _refused(number: int, answer: str, error: Exception) -> Result:
    return Result(number, answer, False, _sentence(str(error)), ["refused"], refused=True)


def _value_check(name: str, value: float, values: dict[str, float],
                 slips: list[tuple[float, str, str]]) -> Callable[[int, str], Result]:
    """A number, or a formula over ``values``, that should equal ``value``."""
    def check(number: int, answer: str) -> Result:
        try:
            tree, used = parse_vectorized(answer)
            unknown = [n for n in used if n not in values]
            if unknown:
                raise FormulaError(tr(TEXT["unknown_value"], name=listed(unknown),
                                      names=listed(values)))
            shape_of(tree, {n: () for n in values}, 1, 1)
        except (FormulaError, ShapeProblem) as e:   # 2 @ 3: numbers have no shapes
            return _refused(number, answer, e)
        got = float(evaluate(tree, values))
        if not math.isfinite(got):
            return Result(number, answer, False, tr(TEXT["undefined_value"]), ["undefined"])
        if _close(got, value, VALUE_RTOL):
            return Result(number, answer, True, tr(TEXT["right_value"], name=name, value=value))
        head = tr(TEXT["not_value"], got=got, name=name)
        for slip_value, kind, key in slips:
            if _close(got, slip_value, VALUE_RTOL):
                return Result(number, answer, False, sentences([head, tr(TEXT[key])]), [kind])
        if _close(got, value, 50 * VALUE_RTOL):
            return Result(number, answer, False, sentences([head, tr(TEXT["close_value"])]),
                          ["rounding"])
        return Result(number, answer, False, sentences([head, tr(TEXT["wrong_value"])]),
                      ["wrong"])
    return check


def _close(a: float, b: float, rtol: float) -> bool:
    return abs(a - b) <= rtol * abs(b)


def _formula_check(build: Callable[[], tuple[Value, Value]],
                   slips: list[tuple[str, str, str]]) -> Callable[[int, str], Result]:
    """A formula for ∂out/∂wrt over a graph's labels, checked by ``check_derivative``;
    ``slips`` are typical wrong formulas, each with its kind and explanation."""
    def check(number: int, answer: str) -> Result:
        out, wrt = build()
        try:
            report = check_derivative(answer, out, wrt, symbolic=False)
        except ValueError as e:   # FormulaError: not on the whitelist, or an unknown name
            result = _refused(number, answer, e)
            if re.search(r"@|\.T\b|\bd[ZAWb]\d", answer):   # a matrix answer to a scalar one
                result.verdict = sentences([result.verdict, tr(TEXT["scalar_not_matrix"])])
            return result
        if report.ok:
            return Result(number, answer, True, tr(
                TEXT["right_formula"], answer=answer.strip(), head=report.head,
                n=len(report.points) - 1), report=report)
        said, kinds = [tr(TEXT["not_formula"], head=report.head)], []
        for formula, kind, key in slips:
            typical = check_derivative(formula, out, wrt, symbolic=False)
            if all(_same_number(p.formula, q.formula)
                   for p, q in zip(report.points, typical.points)):
                said.append(tr(TEXT[key]))
                kinds.append(kind)
        if not kinds:   # no typical slip: the checker's diagnoses, with each factor's formula
            if {"missing", "extra"} & set(report.kinds):
                report = check_derivative(answer, out, wrt, symbolic=True)
            said += [_sentence(d.message) for d in report.diagnoses]
        return Result(number, answer, False, sentences(said),
                      kinds + [k for k in report.kinds if k != "wrong" or not kinds],
                      report=report)
    return check


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)


def _vector_check(vm: VectorizedMLP, X: np.ndarray, Y: np.ndarray, wrt: str,
                  given: list[str]) -> Callable[[int, str], Result]:
    def check(number: int, answer: str) -> Result:
        try:
            report = check_vectorized(answer, vm, X, Y, wrt, given=given)
        except FormulaError as e:
            return _refused(number, answer, e)
        return Result(number, answer, report.ok, report.verdict, report.kinds, report=report)
    return check


# ------------------------------------------------------------------------------ the set

def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _neuron_values(rng: random.Random) -> dict[str, float]:
    """x1, x2, w1, w2, b, y with two decimals, drawn until the usual slips give values that
    differ from the right one (and from each other) by more than a percent."""
    while True:
        v = {"x1": rng.uniform(-2, 2), "x2": rng.uniform(-2, 2), "w1": rng.uniform(-1.5, 1.5),
             "w2": rng.uniform(-1.5, 1.5), "b": rng.uniform(-1, 1), "y": rng.uniform(0.05, 0.95)}
        v = {k: round(x, 2) for k, x in v.items()}
        z = v["w1"] * v["x1"] + v["w2"] * v["x2"] + v["b"]
        a = _sigmoid(z)
        candidates = [a, z, _sigmoid(z - v["b"]), _sigmoid(-z)]
        apart = all(abs(p - q) > 0.02 * max(abs(p), abs(q))
                    for i, p in enumerate(candidates) for q in candidates[i + 1:])
        if apart and min(abs(v[k]) for k in ("x1", "x2", "w1", "w2")) >= 0.2 and \
                abs(a - v["y"]) >= 0.1:
            return v


def _neuron(values: dict[str, float], shortcut: bool = False):
    """The labelled neuron: (z, a, L) or, with the shortcut, (z, a, out) and x1."""
    leaf = {k: Value(x, label=k) for k, x in values.items()}
    z = leaf["w1"] * leaf["x1"] + leaf["w2"] * leaf["x2"] + leaf["b"]
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    if shortcut:
        out = a + leaf["x1"]
        out.label = "out"
        return z, a, out, leaf["x1"]
    L = 0.5 * (a - leaf["y"]) ** 2
    L.label = "L"
    return z, a, L


def _network(seed: int) -> MLP:
    model = MLP(3, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=seed)
    rng = random.Random(seed)
    for layer in model.layers:
        for neuron in layer.neurons:
            neuron.b.data = round(rng.uniform(-0.5, 0.5), 2)
    return model


def _network_sample(model: MLP, sample: list[float], target: float):
    """L on one sample, every value labelled as the text names it; and the weights by label."""
    x = [Value(v, label=label_format.data_input(j)) for j, v in enumerate(sample, start=1)]
    y = Value(target, label="y")
    L = 0.5 * (model(x) - y) ** 2
    L.label = "L"
    return L, {w.label: w for w in model.parameters()}


def _lines(*keys: str, **fields) -> list[str]:
    return [tr(TEXT[k], **fields) for k in keys]


def _names_block(names: dict[str, str]) -> list[str]:
    width = max(len(n) for n in names)
    return [tr(TEXT["names"])] + [f"  {n.ljust(width)}  {what}" for n, what in names.items()]


def exercises(seed: int | None = None) -> ExerciseSet:
    """Draw the exercise set; the same seed gives the same values (None: a fresh seed, kept
    in ``.seed``).

    Returns:
        An :class:`ExerciseSet`: ``set[n]`` for n from 1 to 13.
    """
    if seed is None:
        seed = random.SystemRandom().randrange(1_000_000)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"exercises: seed must be an int or None, got {seed!r}")
    rng = random.Random(seed)
    items = _neuron_exercises(rng) + _network_exercises(rng)
    for number, exercise in enumerate(items, start=1):
        exercise.number = number
    return ExerciseSet(seed, items)


def _neuron_exercises(rng: random.Random) -> list[Exercise]:
    v = _neuron_values(rng)
    z = v["w1"] * v["x1"] + v["w2"] * v["x2"] + v["b"]
    shown = {k: f"{x:g}" for k, x in v.items() if k != "y"}
    inputs = {k: x for k, x in v.items() if k != "y"}
    value = Exercise(0, tr(TEXT["t_value"]), "\n".join(
        _lines("neuron", "ask_value") + _names_block(shown)), "sigmoid(w1*x1 + w2*x2 + b)",
        _value_check("a", _sigmoid(z), inputs, [
            (z, "missing_activation", "slip_no_activation"),
            (_sigmoid(z - v["b"]), "missing_bias", "slip_no_bias"),
            (_sigmoid(-z), "sign", "slip_exponent_sign")]))
    labels = {**shown, "y": f"{v['y']:g}", "z": "w1*x1 + w2*x2 + b", "a": "sigmoid(z)"}
    no_y = {k: x for k, x in labels.items() if k != "y"}
    local = Exercise(0, tr(TEXT["t_local"]), "\n".join(
        _lines("neuron", "ask_local") + _names_block(no_y)), "a*(1 - a)",
        _formula_check(lambda: _neuron(v)[1::-1], [
            ("a", "activation", "slip_g_not_gprime"),
            ("z*(1 - z)", "activation", "slip_gprime_of_z")]))
    upstream = Exercise(0, tr(TEXT["t_upstream"]), "\n".join(
        _lines("neuron", "loss", "ask_upstream") + _names_block(labels)), "(a - y)*a*(1 - a)",
        _formula_check(lambda: _neuron(v)[2::-2], [
            ("a - y", "missing_local", "slip_no_local"),
            ("(a - y)*z*(1 - z)", "activation", "slip_gprime_of_z")]))
    twice_labels = {**no_y, "out": "a + x1"}
    twice = Exercise(0, tr(TEXT["t_twice"]), "\n".join(
        _lines("neuron", "twice", "ask_twice") + _names_block(twice_labels)),
        "a*(1 - a)*w1 + 1",
        _formula_check(lambda: _neuron(v, shortcut=True)[2:], [
            ("a*(1 - a)*w1", "one_path", "slip_one_path_neuron"),
            ("1", "one_path", "slip_one_path_direct")]))
    return [value, local, upstream, twice]


def _network_exercises(rng: random.Random) -> list[Exercise]:
    model = _network(rng.randrange(2**31))
    sample = [round(rng.uniform(-1, 1), 2) for _ in range(3)]
    target = round(rng.uniform(0.1, 0.9), 2)

    def wrt(label: str):
        def build():
            L, weights = _network_sample(model, sample, target)
            return L, weights[label]
        return build

    labels = {label_format.data_input(j): f"{x:g}" for j, x in enumerate(sample, start=1)}
    labels["y"] = f"{target:g}"
    labels.update({"W1_jk, b1_k": tr("weight from x_j into hidden neuron k, its bias"),
                   "z1_k, a1_k": tr("hidden neuron k: weighted sum, sigmoid of it"),
                   "W2_k1, b2_1": tr("weight from a1_k into the output, its bias"),
                   "z2_1, a2_1": tr("the output: weighted sum, sigmoid of it (ŷ)")})
    intro = _lines("network", "labels")
    g2, g1 = "a2_1*(1 - a2_1)", "a1_1*(1 - a1_1)"
    w2 = Exercise(0, tr(TEXT["t_w2"]), "\n".join(intro + _lines("ask_w2") + _names_block(labels)),
                  f"(a2_1 - y)*{g2}*a1_1",
                  _formula_check(wrt("W[2]_11"), [
                      (f"(a2_1 - y)*{g2}*W2_11", "local", "slip_weight_for_input")]))
    w1 = Exercise(0, tr(TEXT["t_w1"]), "\n".join(intro + _lines("ask_w1") + _names_block(labels)),
                  f"(a2_1 - y)*{g2}*W2_11*{g1}*x_2",
                  _formula_check(wrt("W[1]_21"), [
                      (f"(a2_1 - y)*{g2}*W2_11*{g1}*x_1", "index", "slip_wrong_input")]))
    return [w2, w1] + (_vectorized_exercises(model, rng) if np is not None else [])


# (wrt, the gradients given, a right answer)
_VECTORIZED = [
    ("Z2", [], "(A2 - Y) / m * sigmoid_prime(Z2)"),
    ("W2", ["dZ2"], "dZ2 @ A1.T"),
    ("b2", ["dZ2"], "sum(dZ2, axis=1)"),
    ("A1", ["dZ2"], "W2.T @ dZ2"),
    ("Z1", ["dZ2", "dA1"], "dA1 * sigmoid_prime(Z1)"),
    ("W1", ["dZ2", "dA1", "dZ1"], "dZ1 @ X.T"),
    ("b1", ["dZ2", "dA1", "dZ1"], "sum(dZ1, axis=1)"),
]


def _vectorized_exercises(model: MLP, rng: random.Random) -> list[Exercise]:
    vm = VectorizedMLP.from_mlp(model)
    m = rng.randint(5, 9)
    np_rng = np.random.default_rng(rng.randrange(2**31))
    X = np.round(np_rng.uniform(-1, 1, (3, m)), 2)
    Y = np.round(np_rng.uniform(0.1, 0.9, (1, m)), 2)
    shapes = {"X": X.shape, "Y": Y.shape, "m": tr("the batch size")}
    p = vm.passes(X, Y)
    for l in (1, 2):
        shapes.update({f"W{l}": vm.W[l - 1].shape, f"b{l}": vm.b[l - 1].shape,
                       f"Z{l}": p.Z[l - 1].shape, f"A{l}": p.A[l].shape})
    gradient_shapes = {"dZ2": p.dZ[1].shape, "dA1": p.dA[1].shape, "dZ1": p.dZ[0].shape}
    out = []
    for target, given, solution in _VECTORIZED:
        head = f"∂L/∂{target}"
        names = {n: str(s) for n, s in shapes.items()}
        names.update({g: str(gradient_shapes[g]) for g in given})
        use = _lines("may_use", given=listed(g + " = ∂L/∂" + g[1:] for g in given)) \
            if given else _lines("may_use_none")
        prompt = _lines("batch", "forward", m=m) + _lines("ask_vector", head=head) + use
        out.append(Exercise(0, tr(TEXT["t_vector"], head=head),
                            "\n".join(prompt + _names_block(names)), solution,
                            _vector_check(vm, X, Y, target, given)))
    return out
