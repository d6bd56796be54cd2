"""The screenshots of docs/lab.md: ``python -m visualize.lab.screenshots docs/images``.

Starts the lab on a free port, drives it in Chromium (playwright, the system's chromium) through
each mode and saves ``lab_<view>.png`` at 1400×900 (``--width`` for another width).
"""

from __future__ import annotations

import argparse
import pathlib
import sys

__all__ = ["take", "VIEWS"]


def _expression(page) -> None:
    page.goto(page.lab_url + "#f=tanh(x*w%20%2B%20b)&v=x:2,w:-3,b:6.88")
    _ready(page, ".main-expression[data-version]")
    page.locator("[data-testid=graph] g.node#n1").click()
    page.wait_for_selector("[data-testid=sgd] .katex")
    page.locator("[data-testid=graph] g.edge#n4_n5op_0 text").hover()
    page.wait_for_selector("[data-testid=explain-edge] .katex")


def _step(page) -> None:
    page.goto(page.lab_url + "#f=a*b%20%2B%20a&v=a:3,b:-2&tool=step&step=3")
    _ready(page, ".main-expression[data-version]")
    page.wait_for_selector("[data-testid=step-collect]:not(:empty)")


def _check(page) -> None:
    page.goto(page.lab_url + "#mode=network&tool=check&wrt=W[2]_11&check="
              "(a2_1%20-%200.9)*a1_1")
    _ready(page, ".main-network[data-version]")
    page.get_by_test_id("check-run").click()
    page.wait_for_selector("[data-testid=check-verdict][data-ok=false]", timeout=30000)


def _network(page) -> None:
    page.goto(page.lab_url + "#mode=network&exp=a[1]_1&w=W[1]_21:0.9")
    _ready(page, ".main-network[data-version]")
    page.locator("[data-testid=network-graph] g.node", has_text="W[1]_21").first.click()
    page.wait_for_selector("[data-testid=explain-value] .katex")


def _train(page) -> None:
    page.goto(page.lab_url + "#mode=train&data=moons&loss=bce&weight=W[3]_1,1")
    page.wait_for_selector("[data-testid=train-diagram] svg", timeout=60000)
    page.get_by_test_id("train-play").click()
    loss = page.get_by_test_id("loss")
    for _ in range(1200):   # the page's policy allows no eval, so poll from here
        if int(loss.get_attribute("data-step") or 0) >= 60:
            break
        page.wait_for_timeout(100)
    page.get_by_test_id("train-play").click()
    page.wait_for_timeout(1500)


def _exercise(page) -> None:
    page.goto(page.lab_url + "#tool=check&ex=8&exseed=7&exans=A1%20%40%20dZ2.T")
    _ready(page, "[data-testid=exercise-prompt][data-number='8']")
    page.get_by_test_id("exercise-run").click()
    page.wait_for_selector("[data-testid=exercise-verdict][data-ok=false]", timeout=30000)


VIEWS = {"expression": _expression, "step": _step, "check": _check, "network": _network,
         "train": _train, "exercise": _exercise}


def _ready(page, selector: str) -> None:
    page.wait_for_selector(selector, timeout=60000)
    page.wait_for_timeout(300)


def take(folder: pathlib.Path, width: int = 1400, height: int = 900,
         views=tuple(VIEWS)) -> list[pathlib.Path]:
    """Save one screenshot per view in ``folder``; returns the files."""
    from playwright.sync_api import sync_playwright

    from visualize.lab import chromium
    from visualize.lab.server import create_app, running

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with running(create_app()) as url, sync_playwright() as p:
        browser = chromium.launch(p)
        for name in views:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.lab_url = url
            VIEWS[name](page)
            path = folder / f"lab_{name}.png"
            page.screenshot(path=str(path))
            written.append(path)
            page.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m visualize.lab.screenshots",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=pathlib.Path)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--only", nargs="+", choices=list(VIEWS), default=list(VIEWS))
    args = parser.parse_args(argv)
    for path in take(args.folder, args.width, args.height, args.only):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
