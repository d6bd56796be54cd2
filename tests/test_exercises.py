"""The exercises: every one has a right answer that passes and typical slips whose diagnosis is
named; the notebook, terminal and non-interactive forms; the exported pytest file, run both
ways."""

import os
import pathlib
import re
import shlex
import subprocess
import sys

import pytest
from test_vectorized_check import HtmlText  # one checker of the notebook HTML

from demos import exercises as cli
from nn.exercises import TEXT, ExerciseSet, Result, exercises, read_answers

ROOT = pathlib.Path(__file__).resolve().parents[1]
SEEDS = [7, 2024]

# Per exercise: typical slips and the kinds their diagnosis names.
SLIPS = {
    1: [("w1*x1 + w2*x2 + b", ["missing_activation"]),
        ("sigmoid(w1*x1 + w2*x2)", ["missing_bias"]),
        ("1/(1 + exp(w1*x1 + w2*x2 + b))", ["sign"]),
        ("sigmoid(w1*x1 + w2*x2 + b) * 1.02", ["rounding"]),
        ("log(w1 - w1)", ["undefined"]),
        ("7", ["wrong"])],
    2: [("a", ["activation"]), ("z*(1 - z)", ["activation"]), ("2*a*(1 - a)", ["factor"]),
        ("a*(1 - a)*w1", ["extra"])],
    3: [("a - y", ["missing_local", "missing"]), ("(y - a)*a*(1 - a)", ["sign"]),
        ("(a - y)*z*(1 - z)", ["activation"])],
    4: [("a*(1 - a)*w1", ["one_path"]), ("1", ["one_path"])],
    5: [("(a2_1 - y)*a1_1", ["missing"]),
        ("(a2_1 - y)*a2_1*(1 - a2_1)*W2_11", ["local"]),
        ("(y - a2_1)*a2_1*(1 - a2_1)*a1_1", ["sign"])],
    6: [("(a2_1 - y)*a2_1*(1 - a2_1)*W2_11*x_2", ["missing"]),
        ("(a2_1 - y)*a2_1*(1 - a2_1)*W2_11*a1_1*(1 - a1_1)*x_1", ["index"]),
        ("2*(a2_1 - y)*a2_1*(1 - a2_1)*W2_11*a1_1*(1 - a1_1)*x_2", ["factor"])],
    7: [("(A2 - Y) * sigmoid_prime(Z2)", ["missing_mean"]), ("(A2 - Y) / m", ["missing_factor"]),
        ("(Y - A2) / m * sigmoid_prime(Z2)", ["sign"]),
        ("(A2 - Y) / m * sigmoid(Z2)", ["activation"])],
    8: [("A1 @ dZ2.T", ["shape", "transpose"]), ("dZ2 @ A1", ["shape", "transpose"]),
        ("dZ2 @ A1.T / m", ["extra_mean"])],
    9: [("dZ2", ["shape", "missing_sum"]), ("sum(dZ2, axis=0)", ["shape", "axis"])],
    10: [("W2 @ dZ2", ["shape", "transpose"]), ("dZ2 @ W2", ["shape"])],
    11: [("dA1", ["missing_factor"]), ("dA1 * sigmoid_prime(A1)", ["activation"]),
         ("dA1 @ sigmoid_prime(Z1)", ["shape", "product"])],
    12: [("dZ1 @ A1.T", ["shape", "layer"]), ("X @ dZ1.T", ["shape", "transpose"])],
    13: [("sum(dZ1, axis=0)", ["shape", "axis"]), ("dZ1", ["shape", "missing_sum"])],
}


@pytest.fixture(scope="module", params=SEEDS)
def items(request):
    return exercises(seed=request.param)


def test_thirteen_exercises_numbered_from_one(items):
    assert len(items) == 13 and [e.number for e in items] == list(range(1, 14))
    assert set(SLIPS) == {e.number for e in items}
    for bad in (0, 14, -1, "1", True):
        with pytest.raises(IndexError, match="this set has exercises 1 to 13"):
            items[bad]


def test_every_solution_is_right(items):
    for exercise in items:
        result = exercise.check(exercise.solution)
        assert result.ok and bool(result) and result.kinds == [] and not result.refused
        assert result.verdict.startswith("Right: "), result.verdict


@pytest.mark.parametrize("number", sorted(SLIPS))
def test_typical_slips_are_named(items, number):
    exercise = items[number]
    for answer, kinds in SLIPS[number]:
        result = exercise.check(answer)
        assert not result.ok and not result.refused, (answer, result.verdict)
        assert result.kinds == kinds, (answer, result.verdict)
        assert result.verdict.endswith(".") and not result.verdict.startswith("Right")


def test_the_typical_slips_say_why_in_words():
    items = exercises(seed=7)
    assert "The bias b is missing from z." in items[1].check("sigmoid(w1*x1 + w2*x2)").verdict
    assert "you followed only the direct one" in items[4].check("1").verdict
    assert "the last factor is x_2, not x_1" in items[6].check(
        "(a2_1 - y)*a2_1*(1 - a2_1)*W2_11*a1_1*(1 - a1_1)*x_1").verdict
    missing = items[6].check("(a2_1 - y)*a2_1*(1 - a2_1)*W2_11*x_2").verdict
    assert "A factor is missing: ∂a[1]_1/∂z[1]_1 = (1 - σ(z[1]_1))·σ(z[1]_1)" in missing
    assert "is (4, 1) but ∂L/∂W2 is (1, 4): it is the transpose" in items[8].check(
        "A1 @ dZ2.T").verdict


def test_equal_forms_pass():
    items = exercises(seed=7)
    for number, answer in [(1, "0.378"), (1, "1/(1 + exp(-(w1*x1 + w2*x2 + b)))"),
                           (2, "sigmoid(z)*(1 - sigmoid(z))"), (3, "(a - y)*(a - a**2)"),
                           (4, "1 + w1*a*(1 - a)"), (8, "(dZ2 @ A1.T)"), (8, "(A1 @ dZ2.T).T"),
                           (9, "np.sum(dZ2, axis=1, keepdims=True)"),
                           (11, "(W2.T @ dZ2) * A1 * (1 - A1)")]:
        assert items[number].check(answer).ok, (number, answer)


@pytest.mark.parametrize("answer", ["__import__('os').system('echo hi')", "open('x').read()",
                                    "A1.__class__", "9**9**9", "", "x" * 5000, "lambda: 0",
                                    "[1, 2]"])
def test_hostile_answers_are_refused_in_every_exercise(answer, monkeypatch):
    import autograd

    items = exercises(seed=7)
    for exercise in items:
        result = exercise.check(answer)
        assert result.refused and not result.ok and result.kinds == ["refused"], \
            (exercise.number, result.verdict)
        assert result.verdict.endswith(".")
    assert autograd   # the checkers ran in this process, and nothing was executed


def test_names_outside_an_exercise_are_refused():
    items = exercises(seed=7)
    assert items[1].check("y").refused and "x1, x2, w1, w2, b" in items[1].check("y").verdict
    assert items[2].check("y").refused   # ∂a/∂z: y is not in a's graph
    refused = items[8].check("dZ1 @ A1.T")
    assert refused.refused and refused.verdict == \
        "dZ1 is not given in this check; the gradients you may use are: dZ2."
    assert items[7].check("dA2 * sigmoid_prime(Z2)").refused   # nothing is given for dZ2


def test_the_same_seed_gives_the_same_set():
    a, b, c = exercises(seed=7), exercises(seed=7), exercises(seed=8)
    assert [e.prompt for e in a] == [e.prompt for e in b]
    assert [e.prompt for e in a] != [e.prompt for e in c]
    fresh = exercises()
    assert isinstance(fresh.seed, int) and \
        [e.prompt for e in exercises(seed=fresh.seed)] == [e.prompt for e in fresh]
    with pytest.raises(TypeError, match="seed must be an int or None"):
        exercises(seed="7")


def test_prompts_show_the_names_and_shapes():
    items = exercises(seed=7)
    assert "m = 8 samples" in items[8].prompt
    assert "  dZ2  (1, 8)" in items[8].prompt and "  A1   (4, 8)" in items[8].prompt
    assert "dZ1" not in items[8].prompt.split("names you may use:")[1]
    assert "no gradient is given yet" in items[7].prompt
    assert "  x1  -0.3" in items[1].prompt


# ------------------------------------------------------------------------------ notebook

@pytest.mark.parametrize("number, answer", [(8, "dZ2 @ A1"), (8, "dZ2 @ A1.T"), (5, "a1_1"),
                                            (1, "0.5"), (1, "x1 < 2"), (6, "x_2 & 1")])
def test_results_display_in_a_notebook(number, answer):
    result = exercises(seed=7)[number].check(answer)
    page = result._repr_html_()
    parser = HtmlText()
    parser.feed(page)
    assert parser.open == [] and result.verdict in "".join(parser.text)
    assert ("#1a7f37" if result.ok else "#cf222e") in page
    assert "<" not in "".join(parser.text) or "&lt;" in page
    markdown = result._repr_markdown_()
    assert markdown.startswith(f"**{'✅' if result.ok else '❌'} {result.verdict}**")
    assert str(result) == result.verdict


def test_an_exercise_displays_its_prompt():
    exercise = exercises(seed=7)[8]
    assert exercise._repr_markdown_().startswith("**8. The vectorized backward pass: ∂L/∂W2.**")
    assert exercise.prompt in exercise._repr_markdown_() and exercise.prompt in str(exercise)


# ------------------------------------------------------------------ answers files, grading

def test_read_answers(tmp_path):
    path = tmp_path / "answers.txt"
    path.write_text("# seed 7\n\n1: 0.378\n8 :  dZ2 @ A1.T  \n", encoding="utf-8")
    assert read_answers(path) == {1: "0.378", 8: "dZ2 @ A1.T"}
    path.write_text("1: 0.378\nthe answer to 2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: write each answer as 'N: answer'"):
        read_answers(path)
    path.write_text("1: 0.378\n1: 0.4\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: exercise 1 is answered twice"):
        read_answers(path)


def test_grade():
    items = exercises(seed=7)
    assert items.grade(8, {8: "dZ2 @ A1.T"}) is None
    assert items.grade(8, {}, "a.txt") == "Exercise 8 has no answer in a.txt."
    assert items.grade(8, {8: "A1 @ dZ2.T"}).startswith("8. A1 @ dZ2.T\nYour formula is not")
    assert isinstance(items, ExerciseSet) and isinstance(items[8].check("x"), Result)


def _answers(items, wrong: dict[int, str] | None = None) -> str:
    wrong = wrong or {}
    return "".join(f"{e.number}: {wrong.get(e.number, e.solution)}\n" for e in items)


def _pytest(test_file: pathlib.Path, answers: pathlib.Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "EXERCISE_ANSWERS": str(answers),
           "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}   # a plain pytest, as an autograder's
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(test_file)], cwd=test_file.parent, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_exported_pytest_file_passes_right_answers_and_explains_wrong_ones(tmp_path):
    assert cli.main(["--seed", "7", "--export-tests", str(tmp_path / "test_answers.py")]) == 0
    items = exercises(seed=7)
    right = tmp_path / "right.txt"
    right.write_text(_answers(items), encoding="utf-8")
    passed = _pytest(tmp_path / "test_answers.py", right)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "13 passed" in passed.stdout
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(_answers(items, {8: "A1 @ dZ2.T", 3: "a - y"}).replace("13: ", "# 13: "),
                     encoding="utf-8")
    failed = _pytest(tmp_path / "test_answers.py", wrong)
    assert failed.returncode == 1 and "3 failed, 10 passed" in failed.stdout
    assert "Your result is (4, 1) but ∂L/∂W2 is (1, 4): it is the transpose" in failed.stdout
    assert "the local derivative ∂a/∂z = a(1 - a) is missing" in failed.stdout
    assert "Exercise 13 has no answer in" in failed.stdout
    assert "Traceback" not in failed.stdout   # the diagnosis, not a stack


# ------------------------------------------------------------------------- the terminal

def test_the_terminal_asks_one_by_one():
    items = exercises(seed=7)
    typed = iter(["", "sigmoid(w1*x1 + w2*x2)", "0.378", "skip", "show", "1", "quit"])
    shown = []

    def read(prompt):
        shown.append(prompt)
        return next(typed)

    right = cli.ask(items, 1, read=read, write=shown.append)
    assert right == 1
    text = "\n".join(shown)
    assert text.index("Exercise 1 of 13: The value of a neuron.") < \
        text.index("The bias b is missing from z.") < text.index("Right: a = ") < \
        text.index("Exercise 2 of 13") < text.index("Exercise 3 of 13") < \
        text.index("A right answer: (a - y)*a*(1 - a)") < text.index("Exercise 4 of 13")
    assert "you followed only the direct one" in text
    assert shown[-1] == "You answered 1 of 4 exercises right."


def test_the_terminal_with_stdin():
    typed = "dZ2 @ A1\ndZ2 @ A1.T\n"
    run = subprocess.run([sys.executable, "-m", "demos.exercises", "--seed", "7", "--start",
                          "8"], input=typed, cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert out.startswith(TEXT_WELCOME_7)
    assert "Exercise 8 of 13: The vectorized backward pass: ∂L/∂W2." in out
    assert "A1 needs a transpose here: dZ2 @ A1.T." in out
    assert "Right: dZ2 @ A1.T is ∂L/∂W2" in out
    assert "Exercise 9 of 13" in out   # then the end of input stops
    assert out.rstrip().endswith("You answered 1 of 1 exercises right.")


TEXT_WELCOME_7 = cli.TEXT["welcome"].format(seed=7)


@pytest.mark.parametrize("argv, code, said", [
    (["--check", "8", "dZ2 @ A1.T"], 0, "Right: dZ2 @ A1.T is ∂L/∂W2"),
    (["--check", "8", "A1 @ dZ2.T"], 1, "it is the transpose of the right answer."),
    (["--check", "8", "open('x')"], 2, "Refused: calls of anything but"),
    (["--check", "1", "0.378"], 0, "Right: a = "),
    (["--check", "14", "x"], 2, "There is no exercise 14"),
    (["--check", "two", "x"], 2, "There is no exercise two"),
])
def test_check_one_answer(argv, code, said, capsys):
    assert cli.main(["--seed", "7", *argv]) == code
    captured = capsys.readouterr()
    assert said in captured.out + captured.err


def test_check_one_answer_as_a_command():
    run = subprocess.run([sys.executable, "-m", "demos.exercises", "--seed", "7", "--check",
                          "8", "dZ2 @ A1"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 1 and "A1 needs a transpose here" in run.stdout


def test_list_prints_every_exercise(capsys):
    assert cli.main(["--seed", "7", "--list"]) == 0
    out = capsys.readouterr().out
    assert all(f"Exercise {n} of 13: " in out for n in range(1, 14))
    assert TEXT["t_w1"] in out


# ------------------------------------------------------------------ docs/exercises.md

DOCS = (ROOT / "docs" / "exercises.md").read_text(encoding="utf-8")


def test_the_session_in_the_docs_is_what_the_terminal_prints():
    session = next(block for block in re.findall(r"```text\n(.*?)```", DOCS, flags=re.S)
                   if block.startswith("Exercises on backprop"))
    typed = [line[len("answer> "):] for line in session.splitlines()
             if line.startswith("answer> ")]
    start = int(re.search(r"Exercise (\d+) of", session).group(1))
    shown, answers = [], iter(typed)

    def read(prompt):
        answer = next(answers)
        shown.append(prompt + answer)   # a terminal echoes what is typed
        return answer

    cli.ask(exercises(seed=7), start, read=read, write=shown.append)
    assert "\n".join(shown) + "\n" == session


def test_the_commands_in_the_docs_exit_as_they_say(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    commands = re.findall(r"^\.venv/bin/python -m demos\.exercises(.*?)(?:#\s*(.*))?$", DOCS,
                          flags=re.M)
    assert len(commands) >= 7
    for argv, comment in commands:
        if not argv.strip() or "--start" in argv:   # the interactive ones: no input here
            continue
        code = cli.main(shlex.split(argv))
        exit_said = re.match(r"exit (\d)", comment)
        assert code == (int(exit_said.group(1)) if exit_said else 0), argv
    assert (tmp_path / "test_answers.py").exists()
    capsys.readouterr()


def test_check_never_raises_whatever_it_is_given():
    for exercise in exercises(seed=7):
        for answer in (None, 5, 0.378, b"x", ["a"], "\x00", "1" * 400, "(" * 300):
            result = exercise.check(answer)
            assert isinstance(result, Result) and result.verdict.endswith(".")


def test_a_matrix_answer_to_a_scalar_exercise_says_where_the_matrices_are():
    from nn.exercises import exercises

    result = exercises(seed=7)[5].check("dZ2 @ A1.T")
    assert result.refused and "dW2 is exercise 8" in result.verdict
    assert exercises(seed=7)[8].check("dZ2 @ A1.T").ok
