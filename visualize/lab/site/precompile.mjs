// Compiles Python sources to bytecode with Pyodide's own Python, run by Node.js at export time
// (python -m visualize lab --export): node precompile.mjs PYODIDE_DIR WORK_DIR.
//
// Every WORK_DIR/in/**/*.py becomes WORK_DIR/out/**/*.pyc, "unchecked-hash" pycs (PEP 552:
// never compared with their source, so they hold wherever the files are unpacked). A page then
// imports Python's standard library and the engine without compiling them in the browser,
// which otherwise takes most of its start-up.
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, workDir] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: `${path.resolve(pyodideDir)}/`, packages: [] });
pyodide.FS.mkdirTree("/work");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve(workDir) }, "/work");
pyodide.runPython(`
import os, py_compile, sys
count = 0
for folder, _, names in os.walk("/work/in"):
    for name in names:
        if not name.endswith(".py"):
            continue
        source = os.path.join(folder, name)
        rel = os.path.relpath(source, "/work/in")
        target = os.path.join("/work/out", rel + "c")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            py_compile.compile(source, cfile=target, dfile=rel, doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        except py_compile.PyCompileError:
            continue   # left as source: the browser compiles it if it is ever imported
        count += 1
print(count, sys.implementation.cache_tag)
`);
