"""The notebook widget end to end: a notebook executed by nbclient (a real kernel), and the same
notebook opened in JupyterLab (started on 127.0.0.1 with a token) in headless Chromium, where
moving a value changes a gradient."""

import re

import pytest

from autograd import Value

pytestmark = pytest.mark.browser
for _module in ("anywidget", "nbclient", "nbformat", "ipykernel", "jupyterlab"):
    pytest.importorskip(_module, reason="the notebook test needs the extra 'test'")

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from tests.lab_support import Page, chromium, jupyter_lab, run_first_cell  # noqa: E402

WIDGET = "application/vnd.jupyter.widget-view+json"
CELLS = [
    "from visualize import Lab\nlab = Lab(\"tanh(x*w + b)\", x=2, w=-3, b=6.88)\nlab",
    "lab.values = {\"w\": -1.5}\nprint(lab.grads)",
]


def notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return nb


def expect():
    from playwright.sync_api import expect as playwright_expect
    return playwright_expect


def test_a_notebook_runs_the_widget_and_jupyterlab_shows_it_live(tmp_path):
    # 1. nbclient runs the notebook in a real kernel: the widget's output and its state
    path = tmp_path / "lab.ipynb"
    nb = notebook(path)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    [display] = [o for o in nb.cells[0].outputs if o["output_type"] == "execute_result"]
    assert WIDGET in display["data"] and display["data"][WIDGET]["model_id"]
    assert "text/html" in display["data"]   # the static picture, for a notebook saved as is
    # saved with its widget state (nbclient's default), the widget holds its still picture,
    # which its view shows where no kernel answers (the notebook exported to HTML)
    states = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    still = states[display["data"][WIDGET]["model_id"]]["state"]["_snapshot"]
    assert still["formula"] == "tanh(x*w + b)" and still["rows"][0][0] == "x"
    printed = "".join(o.get("text", "") for o in nb.cells[1].outputs)
    x, w, b = Value(2.0), Value(-1.5), Value(6.88)
    out = (x * w + b).tanh()
    out.backward()
    assert f"'w': {w.grad!r}" in printed
    # 2. the same notebook in JupyterLab, run there: moving a value changes a gradient
    nbformat.write(notebook(path), path)
    with jupyter_lab(tmp_path, tmp_path) as (base, token), chromium() as browser:
        page = Page(browser, base)
        try:
            page.page.goto(f"{base}lab/tree/lab.ipynb?token={token}")
            run_first_cell(page.page)
            page.page.wait_for_selector(".lab-root[data-ready=true]", timeout=90000)
            grad = page.by("grad-w")
            x, w, b = Value(2.0), Value(-3.0), Value(6.88)
            out = (x * w + b).tanh()
            out.backward()
            expect()(grad).to_have_attribute("data-value", repr(w.grad), timeout=30000)
            page.by("value-w").fill("-1.25")
            w2 = Value(-1.25)
            out2 = (Value(2.0) * w2 + Value(6.88)).tanh()
            out2.backward()
            expect()(grad).to_have_attribute("data-value", repr(w2.grad), timeout=30000)
            expect()(page.by("grad-w")).to_have_text(re.compile(r"∂out/∂w = "))
            page.page.screenshot(path=str(tmp_path / "jupyterlab.png"))
        finally:
            page.close()
        outside = [u for u in page.outside if "lab.invalid" not in u]
        assert not outside, f"requests left 127.0.0.1: {outside}"
