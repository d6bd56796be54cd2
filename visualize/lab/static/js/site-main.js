// The static site's page: the lab with the Pyodide host (the engine runs in this browser).
import { startLab } from "./app.js";
import { createPyodideHost } from "./host-pyodide.js";

const site = await (await fetch(new URL("../../lab-site.json", import.meta.url))).json();
const host = createPyodideHost({ ...site, base: new URL("../../", import.meta.url).href });
window.labHost = host;   // its start-up timings, for the benchmark
startLab(document.getElementById("lab"), host, { urlState: true });
