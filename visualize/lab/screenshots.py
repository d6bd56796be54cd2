"""The screenshots of docs/lab.md: ``python -m visualize.lab.screenshots docs/images``.

Starts the lab on a free port, drives it in Chromium (playwright, the system's chromium) through
each mode and saves ``lab_<view>.png`` at 1400×900 (``--width`` for another width).

``--hosts`` (from a clone, with the extra ``test``) saves the other hosts' pictures instead:
``lab-static-site.png`` (the site exported, served on 127.0.0.1, training in the browser) and
``lab-notebook.png`` (the widget in JupyterLab), for docs/static-site.md and docs/notebook.md.
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


def _network(page, query: str = "") -> None:
    page.goto(page.lab_url + query + "#mode=network&exp=a[1]_1&w=W[1]_21:0.9")
    _ready(page, ".main-network[data-version]")
    page.locator("[data-testid=network-graph] g.node", has_text="W[1]_21").first.click()
    page.wait_for_selector("[data-testid=explain-value] .katex")
    page.get_by_test_id("network-graph").evaluate("e => e.scrollTo(0, 0)")


def _train(page) -> None:
    page.goto(page.lab_url + "#mode=train&data=moons&loss=bce&weight=W[3]_1,1")
    page.wait_for_selector("[data-testid=train-diagram] svg", timeout=60000)
    _train_for(page, 60)


def _exercise(page) -> None:
    page.goto(page.lab_url + "#tool=check&ex=8&exseed=7&exans=A1%20%40%20dZ2.T")
    _ready(page, "[data-testid=exercise-prompt][data-number='8']")
    page.get_by_test_id("exercise-run").click()
    page.wait_for_selector("[data-testid=exercise-verdict][data-ok=false]", timeout=30000)


def _chinese(page) -> None:
    _network(page, "?lang=zh")


VIEWS = {"expression": _expression, "step": _step, "check": _check, "network": _network,
         "train": _train, "exercise": _exercise, "zh": _chinese}


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


def _train_for(page, steps: int) -> None:
    page.get_by_test_id("train-play").click()
    loss = page.get_by_test_id("loss")
    for _ in range(3000):   # the page's policy allows no eval, so poll from here
        if int(loss.get_attribute("data-step") or 0) >= steps:
            break
        page.wait_for_timeout(100)
    page.get_by_test_id("train-play").click()
    page.wait_for_timeout(1500)


def _site(folder: pathlib.Path, browser, width: int, height: int) -> pathlib.Path:
    import tempfile

    from tests.lab_support import static_server
    from visualize.lab.export import export

    with tempfile.TemporaryDirectory() as tmp:
        export(pathlib.Path(tmp) / "site")
        with static_server(pathlib.Path(tmp) / "site") as url:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url + "#mode=train&data=circles&weight=W[2]_11")
            page.wait_for_selector("[data-testid=train-diagram] svg", timeout=120000)
            _train_for(page, 80)
            path = folder / "lab-static-site.png"
            page.screenshot(path=str(path))
            page.close()
    return path


NOTEBOOK = ['from visualize import Lab\nlab = Lab("tanh(x*w + b)", x=2, w=-3, b=6.88, '
            'height=640)\nlab', 'lab.values = {"w": -1.25}\nlab.grads']


def _notebook(folder: pathlib.Path, browser, width: int, height: int) -> pathlib.Path:
    import tempfile

    import nbformat

    from tests.lab_support import jupyter_lab, run_first_cell

    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(source) for source in NOTEBOOK]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, root / "lab.ipynb")
        with jupyter_lab(root, root) as (base, token):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{base}lab/tree/lab.ipynb?token={token}")
            run_first_cell(page)
            page.wait_for_selector(".lab-root[data-ready=true]", timeout=90000)
            if page.locator(".jp-SideBar .lm-TabBar-tab.lm-mod-current").count():
                page.keyboard.press("Control+b")       # the file browser closed: room
            news = page.get_by_role("button", name="No")
            if news.count():
                news.first.click()                     # JupyterLab's question about its news
            page.get_by_test_id("value-w").fill("-1.25")
            page.wait_for_timeout(1500)
            page.locator("[data-testid=graph] g.edge#n4_n5op_0 text").hover()
            page.wait_for_selector("[data-testid=explain-edge] .katex")
            page.wait_for_timeout(300)
            path = folder / "lab-notebook.png"
            page.screenshot(path=str(path))
            page.close()
    return path


def take_hosts(folder: pathlib.Path, width: int = 1400, height: int = 900) -> list:
    """The static site's and the notebook widget's screenshots (run from a clone)."""
    from playwright.sync_api import sync_playwright

    from visualize.lab import chromium

    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = chromium.launch(p)
        written = [_site(folder, browser, width, height),
                   _notebook(folder, browser, width, height)]
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m visualize.lab.screenshots",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=pathlib.Path)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--only", nargs="+", choices=list(VIEWS), default=list(VIEWS))
    parser.add_argument("--hosts", action="store_true",
                        help="the static site's and the notebook widget's screenshots instead "
                             "(from a clone, with the extra 'test')")
    args = parser.parse_args(argv)
    paths = take_hosts(args.folder, args.width, args.height) if args.hosts else \
        take(args.folder, args.width, args.height, args.only)
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
