"""Exercises that say why an answer is wrong: the chain rule by hand, then the vectorized
equations with their shapes.

    python -m demos.exercises                     ask them one by one (a fresh seed)
    python -m demos.exercises --seed 7 --start 7  the set of seed 7, from exercise 7
    python -m demos.exercises --seed 7 --check 8 "dZ2 @ A1.T"
                                                  check one answer: exit 0 right, 1 wrong,
                                                  2 refused (or no such exercise)
    python -m demos.exercises --seed 7 --list     every exercise, for a handout
    python -m demos.exercises --seed 7 --export-tests test_answers.py
                                                  a pytest file that checks a student's
                                                  answers.txt (one 'N: answer' per line)

In the terminal, type an answer and press Enter; 'skip' goes on, 'show' shows a right answer,
'quit' (or end of input) stops.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

from nn.exercises import ExerciseSet, exercises

TEXT = {
    "welcome": "Exercises on backprop, seed {seed}: --seed {seed} gives the same values again.",
    "commands": "Type an answer and press Enter; type skip to go on, show for a right answer, "
                "quit to stop.",
    "heading": "Exercise {number} of {count}: {title}",
    "ask": "answer> ",
    "one_answer": "A right answer: {solution}",
    "score": "You answered {right} of {asked} exercises right.",
    "wrote": "Wrote {path}: it checks the answers of seed {seed} in answers.txt next to it (or "
             "in the file named by EXERCISE_ANSWERS), one 'N: answer' per line; run pytest "
             "on it.",
    "no_exercise": "There is no exercise {number}: this set has exercises 1 to {count}.",
}
COMMANDS = {"skip": "skip", "show": "show", "quit": "quit", "q": "quit", "exit": "quit"}


def ask(items: ExerciseSet, start: int, read=input, write=print) -> int:
    """Ask the exercises from ``start`` on; returns how many were answered right."""
    write(TEXT["welcome"].format(seed=items.seed))
    write(TEXT["commands"])
    right = asked = 0
    for exercise in list(items)[start - 1:]:
        write("")
        write(TEXT["heading"].format(number=exercise.number, count=len(items),
                                     title=exercise.title))
        write(exercise.prompt)
        attempted = False
        while True:
            try:
                answer = read(TEXT["ask"]).strip()
            except EOFError:
                write("")
                answer = "quit"
            command = COMMANDS.get(answer.lower())
            if command == "quit":
                write(TEXT["score"].format(right=right, asked=asked + attempted))
                return right
            if command == "show":
                write(TEXT["one_answer"].format(solution=exercise.solution))
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
    write(TEXT["score"].format(right=right, asked=asked))
    return right


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--seed", type=int, default=None,
                        help="the set's seed (default: a fresh one, printed)")
    parser.add_argument("--start", type=int, default=1, help="the first exercise to ask")
    parser.add_argument("--check", nargs=2, metavar=("N", "ANSWER"),
                        help="check ANSWER to exercise N and exit (0 right, 1 wrong, 2 refused)")
    parser.add_argument("--list", action="store_true", help="print every exercise and exit")
    parser.add_argument("--export-tests", metavar="FILE", type=pathlib.Path,
                        help="write a pytest file that checks a student's answers file")
    args = parser.parse_args(argv)
    items = exercises(seed=args.seed)
    if args.export_tests:
        args.export_tests.write_text(items.pytest_file(), encoding="utf-8")
        print(TEXT["wrote"].format(path=args.export_tests, seed=items.seed))
        return 0
    if args.list:
        print(TEXT["welcome"].format(seed=items.seed))
        for exercise in items:
            print()
            print(TEXT["heading"].format(number=exercise.number, count=len(items),
                                         title=exercise.title))
            print(exercise.prompt)
        return 0
    numbers = [args.check[0]] if args.check else [str(args.start)]
    for number in numbers:
        if not number.isdigit() or not 1 <= int(number) <= len(items):
            print(TEXT["no_exercise"].format(number=number, count=len(items)), file=sys.stderr)
            return 2
    if args.check:
        result = items[int(args.check[0])].check(args.check[1])
        print(result.verdict)
        return 0 if result.ok else (2 if result.refused else 1)
    ask(items, args.start)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
