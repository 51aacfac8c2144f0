/**
 * `deno task notebooks`: executes every notebook in `notebooks/` headless with Debian's
 * `jupyter-nbconvert` on the project's Deno kernel and writes the executed copies to
 * `reports/<profile>/notebooks/`. Fails on the first cell error.
 *
 *     deno task notebooks [--profile smoke|default|paper] [--dataset NAME]... [--data-root DIR]
 *                         [--only 01-data,...] [--out DIR] [--cache-dir DIR] [--timeout SECONDS]
 *                         [--allow-long-run] [--install-kernel]
 *
 * The kernelspec is generated at run time under `.cache/jupyter/kernels/avrobust-deno/` with the absolute
 * path of the Deno running this task (under npx, the binary in npx's cache), and put first on
 * `JUPYTER_PATH`; `--install-kernel` only writes it and says how to open the notebooks in Jupyter. Exit
 * status: 0 success, 1 a notebook failed, 2 usage error or nbconvert missing.
 *
 * @module
 */
import { basename, resolve } from "node:path";
import {
  executeNotebook,
  NBCONVERT_INSTALL_COMMAND,
  NotebookError,
  REPORT_PROFILE_NAMES,
  resolveReportConfig,
  writeKernelspec,
} from "../lib/report/mod.ts";
import {
  booleanFlag,
  choiceFlag,
  type Cli,
  integerFlag,
  listFlag,
  log,
  runCli,
  stringFlag,
  UsageError,
} from "./_cli.ts";

const CLI: Cli = {
  command: "deno task notebooks",
  usage: ["[options]"],
  summary: "Executes notebooks/*.ipynb headless on the Deno kernel, on the report's cache, and writes the\n" +
    "executed copies to <out>/<profile>/notebooks/.",
  flags: {
    profile: {
      type: "string",
      value: REPORT_PROFILE_NAMES.join("|"),
      default: "smoke",
      help: "profile the notebooks run (their AVROBUST_PROFILE)",
    },
    dataset: { type: "string", value: "NAME", multiple: true, help: "datasets (comma lists work)" },
    "data-root": { type: "string", value: "DIR", help: "your dataset (paper profile, csv layout)" },
    only: {
      type: "string",
      value: "NAMES",
      help: "notebooks to run, e.g. 01-data,03-attacks [default: all]",
    },
    out: { type: "string", value: "DIR", default: "reports", help: "reports folder" },
    "cache-dir": { type: "string", value: "DIR", default: ".cache/report", help: "the study's cache" },
    timeout: { type: "string", value: "SECONDS", default: "1800", help: "per-cell timeout" },
    "allow-long-run": {
      type: "boolean",
      help: "let a profile other than smoke compute what the cache lacks (the notebooks' allowLongRun); " +
        "without it such a notebook stops at its run cell, saying how long the run would take",
    },
    "install-kernel": {
      type: "boolean",
      help: "only write the kernelspec for this Deno to .cache/jupyter and print how to open the notebooks " +
        "in Jupyter",
    },
  },
  notes: `Needs jupyter-nbconvert: ${NBCONVERT_INSTALL_COMMAND}\n` +
    "Interactive use: JUPYTER_PATH=notebooks jupyter lab (the committed kernelspec, which starts npx -y " +
    "deno@2.9.6),\nor JUPYTER_PATH=.cache/jupyter jupyter lab after --install-kernel (this Deno, faster to start).",
};

await runCli(CLI, async (parsed, ready) => {
  const profile = choiceFlag(parsed, "profile", REPORT_PROFILE_NAMES, "smoke");
  const datasets = listFlag(parsed, "dataset");
  const dataRoot = stringFlag(parsed, "data-root");
  try {
    resolveReportConfig({
      profile,
      ...(datasets ? { datasets } : {}),
      ...(dataRoot !== undefined ? { dataRoot, layout: "csv" } : {}),
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^Cannot build the [a-z ]*report: /, ""));
  }
  const timeout = integerFlag(parsed, "timeout", 1) ?? 1800;
  const root = resolve(new URL("..", import.meta.url).pathname);
  const kernelDir = `${root}/.cache/jupyter`;
  if (booleanFlag(parsed, "install-kernel")) {
    ready();
    const spec = await writeKernelspec(kernelDir, Deno.execPath());
    console.log(`Wrote ${spec} (it starts ${Deno.execPath()}). Open the notebooks with:`);
    console.log(`  JUPYTER_PATH=${kernelDir} jupyter lab ${root}/notebooks`);
    return 0;
  }
  const notebookDir = `${root}/notebooks`;
  const available: string[] = [];
  for await (const entry of Deno.readDir(notebookDir)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) available.push(entry.name.replace(/\.ipynb$/, ""));
  }
  available.sort();
  const chosen = listFlag(parsed, "only") ?? available;
  for (const name of chosen) {
    if (!available.includes(name)) {
      throw new UsageError(`--only names unknown notebook '${name}', known: ${available.join(", ")}`);
    }
  }
  try {
    await new Deno.Command("jupyter-nbconvert", { args: ["--version"], stdout: "null", stderr: "null" })
      .output();
  } catch {
    throw new UsageError(`jupyter-nbconvert is not installed; install it with: ${NBCONVERT_INSTALL_COMMAND}`);
  }
  ready();
  const out = stringFlag(parsed, "out") ?? "reports";
  await writeKernelspec(kernelDir, Deno.execPath());
  const outDir = resolve(out, profile, "notebooks");
  const env: Record<string, string> = {
    AVROBUST_PROFILE: profile,
    AVROBUST_CACHE_DIR: resolve(stringFlag(parsed, "cache-dir") ?? ".cache/report"),
    AVROBUST_REPORT_DIR: resolve(out, profile),
  };
  if (datasets) env.AVROBUST_DATASETS = datasets.join(",");
  if (dataRoot !== undefined) env.AVROBUST_DATA_ROOT = resolve(dataRoot);
  if (booleanFlag(parsed, "allow-long-run")) env.AVROBUST_ALLOW_LONG_RUN = "1";

  const started = performance.now();
  log(`Executing ${chosen.length} notebook(s) with profile ${profile}; copies go to ${outDir}`);
  for (const name of chosen) {
    try {
      const done = await executeNotebook(`${notebookDir}/${name}.ipynb`, {
        outDir,
        jupyterPath: [kernelDir, notebookDir],
        env,
        cellTimeout: timeout,
      });
      log(`  ${name}: ok in ${done.seconds.toFixed(1)} s -> ${basename(done.path)}`);
    } catch (error) {
      if (!(error instanceof NotebookError)) throw error;
      // A long cold run the notebook refused: its own message says how long and how to allow it.
      const refused = /LongRunRefusedError: (.*)/.exec(error.output)?.[1];
      if (refused !== undefined) {
        log(`  ${name}: stopped at its run cell. ${refused}`);
        return 1;
      }
      log(`  ${name}: FAILED\n${error.message}\n${error.output.split("\n").slice(-40).join("\n")}`);
      return 1;
    }
  }
  log(`All notebooks ran in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
});
