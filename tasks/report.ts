/**
 * `deno task report`: runs the supplement pipeline (data → train → attack, each stage cached by content
 * hash) and writes `reports/<profile>/` (index.html, results.json, results.csv, charts/*.vl.json,
 * provenance.json).
 *
 *     deno task report [--profile smoke|default|paper] [--dataset NAME]... [--data-root DIR --layout csv]
 *                      [--backend wasm|cpu|webgpu|tensorflow|tensorflow-gpu] [--seed N] [--out DIR]
 *                      [--cache-dir DIR] [--rerun STAGE]... [--until STAGE]
 *
 * Exit status: 0 success, 1 failure, 2 usage error.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { DataFormatError } from "../lib/data/errors.ts";
import { type BackendName, BackendUnavailableError } from "../lib/engine/backend.ts";
import {
  assembleReport,
  collectProvenance,
  formatPipelineEvent,
  PAPER_PROFILE_NEEDS,
  type PipelineEvent,
  profileNotes,
  REPORT_STAGES,
  type ReportConfig,
  type ReportProfile,
  resolveReportConfig,
  runPipeline,
  writeReport,
} from "../lib/report/mod.ts";

const USAGE = `Usage: deno task report [options]
  --profile smoke|default|paper  smoke: tiny, for tests (< 2 min); default: the built-in supplement on
                                 both built-in datasets; paper: the paper's protocol on your data
  --dataset NAME                 built-in dataset(s) to use (av-digits, av-instruments; repeat or comma-
                                 separate); with --profile paper: the name of your dataset
  --data-root DIR --layout csv   your dataset (paper profile)
  --backend NAME                 wasm (default), cpu, webgpu, tensorflow, tensorflow-gpu
  --seed N                       seed of models, training and attacks (default 1234)
  --out DIR                      reports folder (default reports); the report goes to DIR/<profile>
  --cache-dir DIR                stage cache (default .cache/report), shared with the notebooks
  --rerun STAGE                  run a stage even if cached (its cells still come from the cache)
  --until STAGE                  stop after this stage (no report is written)
${PAPER_PROFILE_NEEDS}.`;

const started = performance.now();
let values;
try {
  ({ values } = parseArgs({
    options: {
      profile: { type: "string", default: "default" },
      dataset: { type: "string", multiple: true },
      "data-root": { type: "string" },
      layout: { type: "string" },
      backend: { type: "string", default: "wasm" },
      seed: { type: "string", default: "1234" },
      out: { type: "string", default: "reports" },
      "cache-dir": { type: "string", default: ".cache/report" },
      rerun: { type: "string", multiple: true },
      until: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  Deno.exit(2);
}
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}

const PROFILES: readonly ReportProfile[] = ["smoke", "default", "paper"];
const BACKENDS: readonly BackendName[] = ["wasm", "cpu", "webgpu", "tensorflow", "tensorflow-gpu"];
const profile = PROFILES.find((p) => p === values.profile);
const backend = BACKENDS.find((b) => b === values.backend);
const seed = Number(values.seed);
function usage(message: string): never {
  console.error(`Cannot run the report: ${message}\n\n${USAGE}`);
  Deno.exit(2);
}
if (profile === undefined) {
  usage(`--profile must be smoke, default or paper, current value is '${values.profile}'`);
}
if (backend === undefined) {
  usage(`--backend must be one of ${BACKENDS.join(", ")}, current value is '${values.backend}'`);
}
if (!Number.isSafeInteger(seed)) usage(`--seed must be an integer, current value is '${values.seed}'`);

let config: ReportConfig;
try {
  config = resolveReportConfig({
    profile,
    backend,
    seed,
    ...(values.dataset
      ? { datasets: values.dataset.flatMap((d) => d.split(",")).filter((d) => d !== "") }
      : {}),
    ...(values["data-root"] !== undefined ? { dataRoot: values["data-root"] } : {}),
    ...(values.layout !== undefined ? { layout: values.layout } : {}),
  });
} catch (error) {
  usage((error as Error).message.replace(/^Cannot build the [a-z ]*report: /, ""));
}
for (const spec of config.datasets) {
  if (spec.source !== "csv") continue;
  try {
    if (!(await Deno.stat(spec.root)).isDirectory) usage(`--data-root is not a folder: ${spec.root}`);
  } catch {
    usage(`--data-root does not exist: ${spec.root}`);
  }
}

const command = ["deno task report", ...Deno.args].join(" ");
const cacheDir = resolve(values["cache-dir"]);
const outDir = resolve(values.out, profile);
const tty = Deno.stderr.isTerminal();
const encoder = new TextEncoder();
const write = (text: string) => Deno.stderr.writeSync(encoder.encode(text));
let position = "";
function onEvent(event: PipelineEvent): void {
  if (event.type === "start") position = `${event.index + 1}/${event.total}`;
  const line = formatPipelineEvent(event, position);
  // On a terminal progress lines redraw in place; in logs each is its own line.
  if (event.type === "progress" && tty) write(`\r\x1b[2K${line}`);
  else write(`${tty && event.type === "end" ? "\r\x1b[2K" : ""}${line}\n`);
}

if (profile === "paper" && (backend === "wasm" || backend === "cpu")) {
  write(
    `Note: the paper profile on the ${backend} backend takes days; a GPU backend (--backend tensorflow-gpu) is recommended.\n`,
  );
}
write(
  `avrobust report: profile ${profile}, datasets ${config.datasets.map((d) => d.name).join(", ")}, backend ` +
    `${backend}, cache ${cacheDir}\n`,
);
let pipeline;
try {
  pipeline = await runPipeline(REPORT_STAGES, config, {
    cacheDir,
    onEvent,
    ...(values.rerun ? { rerun: values.rerun } : {}),
    ...(values.until !== undefined ? { until: values.until } : {}),
  });
} catch (error) {
  // Errors about inputs speak for themselves; anything else gets its stack.
  const expected = error instanceof DataFormatError || error instanceof BackendUnavailableError ||
    error instanceof RangeError || error instanceof TypeError;
  const text = error instanceof Error
    ? (expected ? error.message : error.stack ?? error.message)
    : String(error);
  console.error(`\nThe report pipeline failed: ${text}`);
  Deno.exit(1);
}

let written: string | null = null;
if (values.until === undefined) {
  const notebooks: string[] = [];
  try {
    for await (const entry of Deno.readDir(`${outDir}/notebooks`)) {
      if (entry.isFile && entry.name.endsWith(".ipynb")) notebooks.push(`notebooks/${entry.name}`);
    }
  } catch {
    // No executed notebooks yet (`deno task notebooks` writes them).
  }
  const input = assembleReport(REPORT_STAGES, pipeline, {
    profile,
    command,
    notes: profileNotes(config),
    notebooks: notebooks.sort(),
  });
  const provenance = await collectProvenance({
    command,
    profile,
    config,
    seeds: { models: config.seed, training: config.seed, attacks: config.seed, ...dataSeeds(config) },
    pipeline,
  });
  await writeReport(outDir, input, provenance);
  written = `${outDir}/index.html`;
}

function dataSeeds(config: ReportConfig): Record<string, number> {
  const seeds: Record<string, number> = {};
  for (const d of config.datasets) if (d.source === "builtin") seeds[`data:${d.name}`] = d.seed;
  return seeds;
}

const total = (performance.now() - started) / 1000;
const rows = pipeline.summary.map((s) =>
  `  ${s.name.padEnd(8)} ${(s.status === "cached" ? "cache" : "ran").padEnd(6)} ${
    s.seconds.toFixed(1).padStart(8)
  } s` +
  `   cells ${String(s.cellsCached).padStart(4)} cached ${String(s.cellsComputed).padStart(4)} computed`
);
console.log(
  [
    "",
    "Summary",
    "  stage    status    seconds",
    ...rows,
    `  ran: ${
      pipeline.summary.filter((s) => s.status === "ran").map((s) => s.name).join(", ") || "nothing"
    }; ` +
    `from cache: ${
      pipeline.summary.filter((s) => s.status === "cached").map((s) => s.name).join(", ") || "nothing"
    }`,
    `  total: ${total.toFixed(1)} s (pipeline ${pipeline.seconds.toFixed(1)} s)`,
    ...(written ? [`  report: ${written}`] : []),
  ].join("\n"),
);
