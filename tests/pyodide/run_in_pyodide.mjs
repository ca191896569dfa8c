// Run calls of the Excel functions inside Pyodide, as xlwings Lite would.
//
//   node run_in_pyodide.mjs WHEEL BUNDLE_DIR CALLS.json OUT.json
//
// WHEEL is partner-tiers' built wheel, unpacked into site-packages the way micropip installs
// a pure-Python wheel (the archive's files, .dist-info included, extracted as they are); or
// "-" for none, when main.py carries partner-tiers itself. The xlwings stand-in (lite_xlwings.py) becomes the module xlwings, BUNDLE_DIR's
// main.py (written by `partner-tiers lite`) the user's module, and lite_runtime.py makes
// the calls. OUT.json gets the results, the calls' seconds, and the cold start: loading
// Pyodide, installing, importing main.py and answering the first call.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const [wheel, bundle, calls, out] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const started = performance.now();
const pyodide = await loadPyodide();
const loaded = performance.now();

const home = "/home/pyodide";
pyodide.FS.mkdirTree(`${home}/xlwings`);
pyodide.FS.writeFile(`${home}/xlwings/__init__.py`, readFileSync(join(here, "lite_xlwings.py")));
pyodide.FS.writeFile(`${home}/lite_runtime.py`, readFileSync(join(here, "lite_runtime.py")));
pyodide.FS.writeFile(`${home}/main.py`, readFileSync(join(bundle, "main.py")));
pyodide.FS.writeFile("/tmp/calls.json", readFileSync(calls));
if (wheel !== "-") {  // else main.py carries partner-tiers: nothing is installed
  pyodide.FS.writeFile("/tmp/partner_tiers.whl", readFileSync(wheel));
  pyodide.runPython(`
import site, zipfile
zipfile.ZipFile("/tmp/partner_tiers.whl").extractall(site.getsitepackages()[0])
`);
}
pyodide.runPython(`
import sys
sys.path.insert(0, "${home}")
import json, lite_runtime, main
lite_runtime.call(main, "PARTNER_TIER", [45000])
`);
const firstCall = performance.now();
pyodide.runPython(`lite_runtime.main("/tmp/calls.json", "/tmp/out.json")`);
// Python writes the file, so that its numbers keep their types (15000.0 stays a float).
pyodide.globals.set("cold", pyodide.toPy({
  load_pyodide: (loaded - started) / 1000,
  to_first_answer: (firstCall - started) / 1000,
}));
pyodide.runPython(`
with open("/tmp/out.json", encoding="utf-8") as f:
    result = json.load(f)
result["cold_start"] = cold
result["python"] = sys.version.split()[0]
result["modules"] = sorted({m.split(".")[0] for m in sys.modules})
with open("/tmp/out.json", "w", encoding="utf-8") as f:
    json.dump(result, f)
`);
writeFileSync(out, pyodide.FS.readFile("/tmp/out.json"));
