"""Check mode's exercises: the set ``nn.exercises.exercises(seed=...)`` draws, shown one at a
time (its prompt and the values it gives), and the checker's verdict on a typed answer.

The same seed gives the same set, so a class shares one through the page's link. Sets are drawn
in the page's language and kept for the session (a few seeds). Without numpy (Pyodide on the
static site) the vectorized exercises are not in the set: the page lists them as needing numpy.
"""

from __future__ import annotations

import random
from collections import OrderedDict

from autograd import language
from visualize.lab.params import LabError, Params

__all__ = ["Exercises", "COUNT", "MAX_SEED", "ANSWER_CHARS"]

COUNT = 13             # exercises in a full set (1-6 scalar, 7-13 vectorized, which need numpy)
MAX_SEED = 10 ** 9
ANSWER_CHARS = 2000
_KEPT = 4              # sets kept per session (seed and language)


class Exercises:
    """The sets a session has drawn, by seed and language."""

    def __init__(self):
        self._sets: OrderedDict[tuple[int, str], object] = OrderedDict()

    def _set(self, seed: int):
        from nn.exercises import exercises

        key = (seed, language())
        if key not in self._sets:
            self._sets[key] = exercises(seed=seed)
            while len(self._sets) > _KEPT:
                self._sets.popitem(last=False)
        self._sets.move_to_end(key)
        return self._sets[key]

    def listing(self, p: Params) -> dict:
        """Every exercise of the seed's set: number, title, prompt; those this Python cannot
        check (no numpy) are listed as unavailable. No seed: a fresh one."""
        seed = p.integer("seed", 0, 0, MAX_SEED) if p.has("seed") else \
            random.SystemRandom().randrange(1_000_000)
        drawn = self._set(seed)
        items = [{"number": e.number, "title": e.title, "prompt": e.prompt, "available": True}
                 for e in drawn]
        items += [{"number": n, "available": False} for n in range(len(items) + 1, COUNT + 1)]
        return {"seed": seed, "count": COUNT, "items": items}

    def check(self, p: Params) -> dict:
        """The checker's verdict on an answer: ok, refused, the verdict's sentences, the kinds
        of slip (``nn.exercises.Result``)."""
        seed = p.integer("seed", 0, 0, MAX_SEED)
        number = p.integer("number", 1, 1, COUNT)
        answer = p.text("answer", limit=ANSWER_CHARS, too_long="formula_too_long")
        drawn = self._set(seed)
        if number > len(drawn):
            raise LabError("exercise_needs_numpy", number=number)
        result = drawn[number].check(answer)
        return {"seed": seed, "number": number, "answer": answer, "ok": result.ok,
                "refused": result.refused, "verdict": result.verdict, "kinds": result.kinds}
