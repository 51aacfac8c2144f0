/**
 * `deno task notebooks`: executes every notebook in `notebooks/` headless with Debian's
 * `jupyter-nbconvert` on the project's Deno kernel and writes the executed copies to
 * `reports/<profile>/notebooks/`. Fails on the first cell error.
 *
 *     deno task notebooks [--profile smoke|default|paper] [--dataset NAME]... [--data-root DIR]
 *                         [--only 01-data,...] [--out DIR] [--cache-dir DIR] [--timeout SECONDS]
 *
 * The kernelspec is generated at run time under `.cache/jupyter/kernels/avrobust-deno/` with the absolute
 * path of the Deno running this task, and put first on `JUPYTER_PATH`. Exit status: 0 success, 1 a
 * notebook failed, 2 usage error or nbconvert missing.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { basename, resolve } from "node:path";
import {
  executeNotebook,
  NBCONVERT_INSTALL_COMMAND,
  NotebookError,
  writeKernelspec,
} from "../lib/report/mod.ts";

const USAGE = `Usage: deno task notebooks [options]
  --profile smoke|default|paper  parameters passed to the notebooks (default smoke)
  --dataset NAME                 datasets (repeat or comma-separate)
  --data-root DIR                your dataset (paper profile, csv layout)
  --only NAMES                   notebooks to run, e.g. 01-data,03-attacks (default: all)
  --out DIR                      reports folder (default reports); copies go to DIR/<profile>/notebooks
  --cache-dir DIR                stage cache shared with deno task report (default .cache/report)
  --timeout SECONDS              per-cell timeout (default 1800)
Needs jupyter-nbconvert: ${NBCONVERT_INSTALL_COMMAND}`;

function usage(message: string): never {
  console.error(`Cannot run the notebooks: ${message}\n\n${USAGE}`);
  Deno.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      profile: { type: "string", default: "smoke" },
      dataset: { type: "string", multiple: true },
      "data-root": { type: "string" },
      only: { type: "string" },
      out: { type: "string", default: "reports" },
      "cache-dir": { type: "string", default: ".cache/report" },
      timeout: { type: "string", default: "1800" },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (error) {
  usage((error as Error).message);
}
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const profile = values.profile;
if (!["smoke", "default", "paper"].includes(profile)) {
  usage(`--profile must be smoke, default or paper, current value is '${profile}'`);
}
const timeout = Number(values.timeout);
if (!Number.isInteger(timeout) || timeout < 1) {
  usage(`--timeout must be a positive integer, current value is '${values.timeout}'`);
}

const root = resolve(new URL("..", import.meta.url).pathname);
const notebookDir = `${root}/notebooks`;
const available: string[] = [];
for await (const entry of Deno.readDir(notebookDir)) {
  if (entry.isFile && entry.name.endsWith(".ipynb")) available.push(entry.name.replace(/\.ipynb$/, ""));
}
available.sort();
const chosen = values.only ? values.only.split(",").filter((n) => n !== "") : available;
for (const name of chosen) {
  if (!available.includes(name)) usage(`unknown notebook '${name}', known: ${available.join(", ")}`);
}

try {
  await new Deno.Command("jupyter-nbconvert", { args: ["--version"], stdout: "null", stderr: "null" })
    .output();
} catch {
  console.error(
    `Cannot run the notebooks: jupyter-nbconvert is not installed. Install it with:\n  ${NBCONVERT_INSTALL_COMMAND}`,
  );
  Deno.exit(2);
}

const kernelDir = `${root}/.cache/jupyter`;
await writeKernelspec(kernelDir, Deno.execPath());
const outDir = resolve(values.out, profile, "notebooks");
const env: Record<string, string> = {
  AVROBUST_PROFILE: profile,
  AVROBUST_CACHE_DIR: resolve(values["cache-dir"]),
  AVROBUST_REPORT_DIR: resolve(values.out, profile),
};
if (values.dataset) env.AVROBUST_DATASETS = values.dataset.join(",");
if (values["data-root"] !== undefined) env.AVROBUST_DATA_ROOT = resolve(values["data-root"]);

const started = performance.now();
console.error(`Executing ${chosen.length} notebook(s) with profile ${profile}; copies go to ${outDir}`);
for (const name of chosen) {
  try {
    const done = await executeNotebook(`${notebookDir}/${name}.ipynb`, {
      outDir,
      jupyterPath: [kernelDir, notebookDir],
      env,
      cellTimeout: timeout,
    });
    console.error(`  ${name}: ok in ${done.seconds.toFixed(1)} s -> ${basename(done.path)}`);
  } catch (error) {
    if (error instanceof NotebookError) {
      console.error(`  ${name}: FAILED\n${error.message}\n${error.output.split("\n").slice(-40).join("\n")}`);
      Deno.exit(1);
    }
    throw error;
  }
}
console.error(`All notebooks ran in ${((performance.now() - started) / 1000).toFixed(1)} s`);
