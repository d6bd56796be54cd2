"""Check mode's exercises: the set of nn.exercises for a seed, their prompts and the checker's
verdicts through the session; the set without numpy (the static site). The page in Chromium:
tests/test_lab_browser.py."""

import subprocess
import sys

import pytest

from nn.exercises import exercises
from visualize.lab.session import LabSession


def answer(session, method, **params):
    response = session.handle({"method": method, "params": params})
    return response["result"] if response["ok"] else response["error"]


def test_the_list_is_the_seeds_set_with_every_prompt():
    s = LabSession()
    listing = answer(s, "exercises.list", seed=7)
    drawn = exercises(seed=7)
    assert listing["seed"] == 7 and listing["count"] == 13 and len(listing["items"]) == 13
    for item, exercise in zip(listing["items"], drawn):
        assert item["available"] and item["number"] == exercise.number
        assert (item["title"], item["prompt"]) == (exercise.title, exercise.prompt)
    assert "x1  " in listing["items"][0]["prompt"]   # the values it gives
    fresh = answer(s, "exercises.list")
    assert 0 <= fresh["seed"] < 1_000_000 and len(fresh["items"]) == 13


@pytest.mark.parametrize("number, typed, ok, kinds", [
    (1, "0.378", True, []),
    (1, "w1*x1 + w2*x2 + b", False, ["missing_activation"]),
    (5, "(a2_1 - y)*a2_1*(1 - a2_1)*a1_1", True, []),
    (6, "(a2_1 - y)*a2_1*(1 - a2_1)*W2_11*x_2", False, ["missing"]),
    (8, "dZ2 @ A1.T", True, []),
    (8, "A1 @ dZ2.T", False, ["shape", "transpose"]),
    (13, "sum(dZ1, axis=0)", False, ["shape", "axis"]),
])
def test_an_answer_gets_the_checkers_verdict_and_kinds(number, typed, ok, kinds):
    result = answer(LabSession(), "exercises.check", seed=7, number=number, answer=typed)
    expected = exercises(seed=7)[number].check(typed)
    assert result["ok"] is ok and result["kinds"] == kinds and not result["refused"]
    assert result["verdict"] == expected.verdict and result["number"] == number


def test_refusals_and_bad_requests_are_messages():
    s = LabSession()
    refused = answer(s, "exercises.check", seed=7, number=2, answer="__import__('os')")
    assert refused["refused"] and refused["kinds"] == ["refused"] and not refused["ok"]
    assert answer(s, "exercises.check", seed=7, number=14, answer="1")["id"] == "bad_param"
    assert answer(s, "exercises.check", seed=-1, number=1, answer="1")["id"] == "bad_param"
    too_long = answer(s, "exercises.check", seed=7, number=1, answer="x" * 2001)
    assert too_long["id"] == "formula_too_long"
    assert answer(s, "exercises.list", seed="7")["id"] == "bad_param"


def test_without_numpy_exercises_1_to_6_are_checked_and_7_to_13_say_why_not():
    """What the static site (Pyodide, no numpy) gets, checked in CPython with numpy blocked."""
    code = """
import sys
sys.modules["numpy"] = None
from visualize.lab.session import LabSession
s = LabSession()
items = s.call("exercises.list", {"seed": 7})["items"]
assert [i["available"] for i in items] == [True] * 6 + [False] * 7, items
assert s.call("exercises.check", {"seed": 7, "number": 1, "answer": "0.378"})["ok"]
slip = s.call("exercises.check", {"seed": 7, "number": 1, "answer": "sigmoid(w1*x1 + w2*x2)"})
assert slip["kinds"] == ["missing_bias"], slip
assert s.call("exercises.check", {"seed": 7, "number": 5,
                                  "answer": "(a2_1 - y)*a2_1*(1 - a2_1)*a1_1"})["ok"]
answer = s.handle({"method": "exercises.check",
                   "params": {"seed": 7, "number": 8, "answer": "dZ2 @ A1.T"}})
assert answer["error"]["id"] == "exercise_needs_numpy", answer
print("\\n".join(i["prompt"] for i in items[:6]))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "\n".join(e.prompt for e in list(exercises(seed=7))[:6])
