"""Exercises that say why an answer is wrong: the chain rule by hand, then the vectorized
equations with their shapes. ``python -m demos.exercises --help`` shows the ways to run it
(``EXAMPLES`` below: a set asked one by one, one answer checked, a handout, a pytest file).

In the terminal, type an answer and press Enter; 'skip' goes on, 'show' shows a right answer,
'quit' (or end of input) stops. ``--lang zh`` asks, checks and answers in Chinese (the default
comes from the environment, as in the lessons), where 跳过, 答案 and 退出 work too.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

from autograd import language
from autograd.extend import N_, HelpFormatter, languages, tr
from demos._lesson import translated_parser
from nn.exercises import ExerciseSet, exercises

DESCRIPTION = N_("Exercises that say why an answer is wrong: the chain rule by hand, then the "
                 "vectorized equations with their shapes.")
EXAMPLES = N_("""examples:
  python -m demos.exercises                     ask them one by one (a fresh seed)
  python -m demos.exercises --seed 7 --start 7  the set of seed 7, from exercise 7
  python -m demos.exercises --seed 7 --check 8 "dZ2 @ A1.T"
                                                check one answer: exit 0 right, 1 wrong,
                                                2 refused (or no such exercise)
  python -m demos.exercises --seed 7 --list     every exercise, for a handout
  python -m demos.exercises --seed 7 --export-tests test_answers.py
                                                a pytest file that checks a student's
                                                answers.txt (one 'N: answer' per line)""")

TEXT = {
    "welcome": N_("Exercises on backprop, seed {seed}: --seed {seed} gives the same values again."),
    "commands": N_("Type an answer and press Enter; type skip to go on, show for a right answer, "
                   "quit to stop."),
    "heading": N_("Exercise {number} of {count}: {title}"),
    "ask": N_("answer> "),
    "one_answer": N_("A right answer: {solution}"),
    "score": N_("You answered {right} of {asked} exercises right."),
    "wrote": N_("Wrote {path}: it checks the answers of seed {seed} in answers.txt next to it (or "
                "in the file named by EXERCISE_ANSWERS), one 'N: answer' per line; run pytest "
                "on it."),
    "no_exercise": N_("There is no exercise {number}: this set has exercises 1 to {count}."),
}
COMMANDS = {"skip": "skip", "show": "show", "quit": "quit", "q": "quit", "exit": "quit",
            "跳过": "skip", "答案": "show", "退出": "quit"}


def ask(items: ExerciseSet, start: int, read=input, write=print) -> int:
    """Ask the exercises from ``start`` on; returns how many were answered right."""
    write(tr(TEXT["welcome"], seed=items.seed))
    write(tr(TEXT["commands"]))
    right = asked = 0
    for exercise in list(items)[start - 1:]:
        write("")
        write(tr(TEXT["heading"], number=exercise.number, count=len(items),
                                     title=exercise.title))
        write(exercise.prompt)
        attempted = False
        while True:
            try:
                answer = read(tr(TEXT["ask"])).strip()
            except EOFError:
                write("")
                answer = "quit"
            command = COMMANDS.get(answer.lower())
            if command == "quit":
                write(tr(TEXT["score"], right=right, asked=asked + attempted))
                return right
            if command == "show":
                write(tr(TEXT["one_answer"], solution=exercise.solution))
            if command in ("skip", "show"):
                break
            if not answer:
                continue
            attempted = True
            result = exercise.check(answer)
            write(result.verdict)
            if result.ok:
                right += 1
                break
        asked += 1
    write("")
    write(tr(TEXT["score"], right=right, asked=asked))
    return right


class _Formatter(argparse.RawDescriptionHelpFormatter, HelpFormatter):
    """The help in the reader's language, the examples laid out as written."""


def main(argv: list[str] | None = None) -> int:
    parser, options = translated_parser(DESCRIPTION, argv, _Formatter, EXAMPLES)
    options.add_argument("--seed", type=int, default=None,
                         help=tr("the set's seed (default: a fresh one, printed)"))
    options.add_argument("--start", type=int, default=1, help=tr("the first exercise to ask"))
    options.add_argument("--check", nargs=2, metavar=("N", "ANSWER"),
                         help=tr("check ANSWER to exercise N and exit (0 right, 1 wrong, 2 "
                                 "refused)"))
    options.add_argument("--list", action="store_true",
                         help=tr("print every exercise and exit"))
    options.add_argument("--export-tests", metavar="FILE", type=pathlib.Path,
                         help=tr("write a pytest file that checks a student's answers file"))
    options.add_argument("--lang", choices=languages(),
                         help=tr("the language the exercises are asked and checked in (now: "
                                 "{now}; the default comes from LANGUAGE, LC_ALL, LC_MESSAGES "
                                 "or LANG)", now=language()))
    args = parser.parse_args(argv)
    items = exercises(seed=args.seed)
    if args.export_tests:
        args.export_tests.write_text(items.pytest_file(), encoding="utf-8")
        print(tr(TEXT["wrote"], path=args.export_tests, seed=items.seed))
        return 0
    if args.list:
        print(tr(TEXT["welcome"], seed=items.seed))
        for exercise in items:
            print()
            print(tr(TEXT["heading"], number=exercise.number, count=len(items),
                                         title=exercise.title))
            print(exercise.prompt)
        return 0
    numbers = [args.check[0]] if args.check else [str(args.start)]
    for number in numbers:
        if not number.isdigit() or not 1 <= int(number) <= len(items):
            print(tr(TEXT["no_exercise"], number=number, count=len(items)), file=sys.stderr)
            return 2
    if args.check:
        result = items[int(args.check[0])].check(args.check[1])
        print(result.verdict)
        return 0 if result.ok else (2 if result.refused else 1)
    ask(items, args.start)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
