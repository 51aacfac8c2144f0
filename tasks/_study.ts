/**
 * The study's command line, shared by `report`, `train` and `attack`: they run the same profile through
 * the same cached pipeline (`report` all of it, `train` and `attack` a prefix), so every number they print
 * comes from the records the supplement shows.
 *
 * @module
 */
import { resolve } from "node:path";
import type { BackendName } from "../lib/engine/backend.ts";
import { attackNames } from "../lib/attacks/mod.ts";
import { sha256Hex } from "../lib/cache/mod.ts";
import {
  type CellSharing,
  markdownToText,
  MissingCellError,
  PAPER_PROFILE_NEEDS,
  type PipelineResult,
  progressPrinter,
  REPORT_PROFILE_NAMES,
  REPORT_STAGES,
  type ReportConfig,
  resolveReportConfig,
  runPipeline,
  type RunPipelineOptions,
  type Stage,
  type StageSummary,
  type VisualWeights,
} from "../lib/report/mod.ts";
import {
  booleanFlag,
  choiceFlag,
  type Cli,
  type Flag,
  integerFlag,
  listFlag,
  type Parsed,
  runCli,
  stringFlag,
  terminalWriter,
  UsageError,
} from "./_cli.ts";
import { onInterrupt, resumeHint } from "./_interrupt.ts";
import { startWorkers, WORKER_ENV, type Workers } from "./_workers.ts";

const BACKENDS: readonly BackendName[] = ["wasm", "cpu", "webgpu", "tensorflow", "tensorflow-gpu"];

/** Flags every study task takes. */
export const STUDY_FLAGS: Record<string, Flag> = {
  profile: {
    type: "string",
    value: "NAME",
    default: "default",
    help: "smoke: tiny, for tests; default: the built-in supplement; full: the README's study; " +
      "paper: the paper's protocol on your data",
  },
  dataset: {
    type: "string",
    value: "NAME",
    multiple: true,
    help: "built-in datasets to keep (av-digits, av-instruments; comma lists work); with --profile paper, " +
      "the name of your dataset [default: the profile's]",
  },
  "data-root": { type: "string", value: "DIR", help: "your dataset (paper profile), with --layout csv" },
  layout: { type: "string", value: "csv", help: "layout of --data-root (paper profile)" },
  classes: {
    type: "string",
    value: "LIST",
    help: "class names of your dataset in label order; a val/test label outside them is an error " +
      "(paper profile) [default: the training split's classes]",
  },
  rehash: {
    type: "boolean",
    help: "hash your dataset's media by content, not size and modification time (paper profile)",
  },
  models: {
    type: "string",
    value: "LIST",
    help: "model ids to run: audio, visual, av-<fusion>, or all (every registered model); a model not in " +
      "the cache is trained first [default: the profile's]",
  },
  backend: { type: "string", value: "NAME", default: "wasm", help: `tensor backend: ${BACKENDS.join(", ")}` },
  seed: {
    type: "string",
    value: "N",
    default: "1234",
    help: "seed of models and training (and of attacks " +
      "unless the profile fixes one)",
  },
  "cache-dir": {
    type: "string",
    value: "DIR",
    default: ".cache/report",
    help: "the study's cache, shared by every task and the notebooks",
  },
  jobs: {
    type: "string",
    value: "N",
    default: "cores",
    help: "worker processes on this machine sharing the cells (same results as 1) [default: the cores]",
  },
  shard: {
    type: "string",
    value: "I/N",
    help: "compute only shard I of N (I from 0) into the cache, e.g. on a cluster; writes no report",
  },
  "cached-only": {
    type: "boolean",
    help: "compute nothing: render from the cache, failing and naming the first missing cell",
  },
};

/** How a study run shares its cells: worker processes, a shard, or the cache alone. */
export interface ParallelOptions {
  /** Worker processes (this one included). */
  jobs: number;
  /** This process's shard, if any. */
  shard?: { index: number; count: number };
  /** Never compute. */
  cachedOnly: boolean;
}

/**
 * The `--jobs`, `--shard` and `--cached-only` flags, checked before any work.
 *
 * @throws {UsageError} If a value is malformed or the flags contradict each other.
 */
export function parallelOptions(parsed: Parsed): ParallelOptions {
  const cores = navigator.hardwareConcurrency || 1;
  const jobs = stringFlag(parsed, "jobs") === "cores" ? cores : integerFlag(parsed, "jobs", 1, 256) ?? cores;
  const cachedOnly = booleanFlag(parsed, "cached-only");
  const text = stringFlag(parsed, "shard");
  if (text === undefined) return { jobs: cachedOnly ? 1 : jobs, cachedOnly };
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(count >= 1 && index >= 0 && index < count)) {
    throw new UsageError(`--shard must be I/N with 0 <= I < N, current value is '${text}'`);
  }
  if (cachedOnly) {
    throw new UsageError("--shard computes cells and --cached-only computes none: give one of them");
  }
  return { jobs: 1, shard: { index, count }, cachedOnly };
}

/** Flags of the tasks that attack (`report`, `attack`). */
export const ATTACK_FLAGS: Record<string, Flag> = {
  attacks: {
    type: "string",
    value: "LIST",
    help: `registered attacks to run: ${attackNames().join(", ")} (worstCase: the per-sample worst case of ` +
      "the others listed) [default: the profile's]",
  },
  samples: { type: "string", value: "N", help: "test samples attacked per cell [default: the profile's]" },
};

/** Flags of the tasks that train (`report`, `train`). */
export const TRAIN_FLAGS: Record<string, Flag> = {
  epochs: { type: "string", value: "N", help: "training epochs of every model [default: the profile's]" },
  "visual-weights": {
    type: "string",
    value: "FILE",
    help: "torchvision resnet18 weights (safetensors, see deno task weights) the paper profile's visual " +
      "encoders start from [default: none, trained from scratch]",
  },
  "batch-size": {
    type: "string",
    value: "N",
    help:
      "training batch size of every model (e.g. for a dataset smaller than one batch) [default: the profile's]",
  },
};

/**
 * The resolved config of the flags. Every flag is checked here, before any work.
 *
 * @throws {UsageError} If a flag is out of range or names nothing known.
 */
export async function studyConfig(parsed: Parsed): Promise<ReportConfig> {
  const profile = choiceFlag(parsed, "profile", REPORT_PROFILE_NAMES, "default");
  const backend = choiceFlag(parsed, "backend", BACKENDS, "wasm");
  const seed = integerFlag(parsed, "seed", 0) ?? 1234;
  const datasets = listFlag(parsed, "dataset");
  const models = listFlag(parsed, "models");
  const attacks = "attacks" in parsed.values ? listFlag(parsed, "attacks") : undefined;
  const samples = integerFlag(parsed, "samples", 1);
  const epochs = integerFlag(parsed, "epochs", 1);
  const batchSize = "batch-size" in parsed.values ? integerFlag(parsed, "batch-size", 1) : undefined;
  const weightsFile = stringFlag(parsed, "visual-weights");
  let visualWeights: VisualWeights | undefined;
  if (weightsFile !== undefined) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(weightsFile);
    } catch (error) {
      throw new UsageError(`--visual-weights cannot be read: ${(error as Error).message}`);
    }
    visualWeights = { path: resolve(weightsFile), sha256: await sha256Hex(bytes) };
  }
  const dataRoot = stringFlag(parsed, "data-root");
  const layout = stringFlag(parsed, "layout");
  const classes = listFlag(parsed, "classes");
  const rehash = booleanFlag(parsed, "rehash");
  let config: ReportConfig;
  try {
    config = resolveReportConfig({
      profile,
      backend,
      seed,
      ...(datasets ? { datasets } : {}),
      ...(models ? { models } : {}),
      ...(attacks ? { attacks } : {}),
      ...(samples !== undefined ? { samples } : {}),
      ...(epochs !== undefined ? { epochs } : {}),
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(visualWeights ? { visualWeights } : {}),
      ...(dataRoot !== undefined ? { dataRoot } : {}),
      ...(layout !== undefined ? { layout } : {}),
      ...(classes ? { classes } : {}),
      ...(rehash ? { rehash } : {}),
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^Cannot build the [a-z ]*report: /, ""));
  }
  for (const spec of config.datasets) {
    if (spec.source !== "csv") continue;
    const info = await Deno.stat(spec.root).catch(() => null);
    if (info === null) throw new UsageError(`--data-root does not exist: ${spec.root}`);
    if (!info.isDirectory) throw new UsageError(`--data-root is not a folder: ${spec.root}`);
  }
  return config;
}

/** The stage names, for `--until` and `--rerun`. */
export const STAGE_NAMES: readonly string[] = REPORT_STAGES.map((stage) => stage.name);

/**
 * Runs the study's pipeline through `until` on the shared cache, printing progress on stderr.
 *
 * @returns The pipeline's results and summary.
 */
export async function runStudy(
  config: ReportConfig,
  options: {
    /** The task, e.g. `deno task train`, for the line printed on an interruption. */
    command: string;
    cacheDir: string;
    until?: string;
    rerun?: readonly string[];
    /** The stages to run (each with the stages it needs): the same keys and cache as the whole study. */
    stages?: readonly Stage<ReportConfig, unknown>[];
    /** Workers, shard or cache only. @default one process */
    parallel?: ParallelOptions;
  },
): Promise<PipelineResult> {
  const started = Date.now();
  const print = terminalWriter();
  const cacheDir = resolve(options.cacheDir);
  const worker = Deno.env.get(WORKER_ENV) !== undefined;
  let workers: Workers | undefined;
  if (!worker) onInterrupt(() => resumeHint(options.command, Deno.args, cacheDir), () => workers?.stop());
  if (config.profile === "paper" && (config.backend === "wasm" || config.backend === "cpu")) {
    print(`Note: ${PAPER_PROFILE_NEEDS}.`);
  }
  if (config.model.preset === "paper") {
    print(
      config.visualWeights
        ? `Visual encoders start from ${config.visualWeights.path} (sha256 ${
          config.visualWeights.sha256.slice(0, 12)
        }…).`
        : "Note: the ResNet-18 visual encoders are trained from scratch; the paper fine-tunes ImageNet weights " +
          "(--visual-weights FILE, see deno task weights).",
    );
  }
  print(
    `avrobust: profile ${config.profile}, datasets ${
      config.datasets.map((d) => d.name).join(", ")
    }, models ` +
      `${config.models.map((m) => m.id).join(", ")}, backend ${config.backend}, cache ${cacheDir}`,
  );
  const parallel = options.parallel ?? { jobs: 1, cachedOnly: false };
  const sharing: CellSharing = {
    ...(parallel.jobs > 1 || worker ? { shared: true } : {}),
    ...(parallel.shard ? { shard: parallel.shard } : {}),
    ...(parallel.cachedOnly ? { cachedOnly: true } : {}),
  };
  const run = (until = options.until, extra: Partial<RunPipelineOptions> = {}) =>
    runPipeline(options.stages ?? REPORT_STAGES, config, {
      cacheDir,
      onEvent: progressPrinter(print, Deno.stderr.isTerminal() ? 0.1 : 5),
      sharing,
      ...(options.rerun ? { rerun: options.rerun } : {}),
      ...(until !== undefined ? { until } : {}),
      ...extra,
    });
  if (worker || parallel.shard) {
    // A worker or a shard only computes cells; the parent (or the merge) prints and renders.
    const pipeline = await run(options.until, worker ? { storeStages: false } : {});
    const computed = pipeline.summary.reduce((total, s) => total + s.cellsComputed, 0);
    print(
      `${
        parallel.shard ? `shard ${parallel.shard.index}/${parallel.shard.count}` : "worker"
      } done: ${computed} cells computed`,
    );
    Deno.exit(0);
  }
  if (parallel.jobs <= 1) return await run();
  // First from the cache alone (building the data, which every worker needs): a warm study starts no
  // worker. Otherwise the workers and this process share the cells.
  const probed = new Map<string, StageSummary>();
  const progress = progressPrinter(print, Deno.stderr.isTerminal() ? 0.1 : 5);
  try {
    return await run(options.until, {
      sharing: { cachedOnly: true },
      onEvent: (event) => {
        if (event.type === "end") probed.set(event.stage, event.summary);
        progress(event);
      },
    });
  } catch (error) {
    if (!(error instanceof MissingCellError)) throw error;
  }
  workers = await startWorkers(parallel.jobs - 1, cacheDir, print);
  // Cells the workers computed are read here from the cache, but were computed in this run.
  const pipeline = await run(options.until, { computedSince: started });
  for (const problem of await workers.finished()) print(problem);
  // A stage the probe ran (the data) ran in this invocation, though the second pass found it cached.
  const summary = pipeline.summary.map((row) =>
    probed.get(row.name)?.status === "ran" ? probed.get(row.name)! : row
  );
  return { ...pipeline, summary };
}

/** The run summary: per stage, cached or ran, seconds and cells; then the total. */
export function summaryLines(pipeline: PipelineResult, totalSeconds: number): string[] {
  const rows = pipeline.summary.map((s) =>
    `  ${s.name.padEnd(8)} ${(s.status === "cached" ? "cache" : "ran").padEnd(6)} ${
      s.seconds.toFixed(1).padStart(8)
    } s   cells ${String(s.cellsCached).padStart(4)} cached ${String(s.cellsComputed).padStart(4)} computed`
  );
  const names = (status: string) =>
    pipeline.summary.filter((s) => s.status === status).map((s) => s.name).join(", ") || "nothing";
  return [
    "Summary",
    "  stage    status    seconds",
    ...rows,
    `  ran: ${names("ran")}; from cache: ${names("cached")}`,
    `  total: ${totalSeconds.toFixed(1)} s (pipeline ${pipeline.seconds.toFixed(1)} s)`,
  ];
}

/** The `--markdown` flag of the tasks that print tables. */
export const MARKDOWN_FLAG: Record<string, Flag> = {
  markdown: { type: "boolean", help: "print the tables as Markdown (for a README) instead of plain text" },
};

/**
 * A task that runs the study through `until` (a stage name: every stage up to it), or only the listed
 * stages (each with the stages it needs), and prints `render(pipeline, config)` (Markdown) as plain text, or as
 * Markdown with `--markdown`; the run summary goes to stderr.
 */
export async function studyTask(
  cli: Cli,
  until: string | readonly Stage<ReportConfig, unknown>[],
  render: (pipeline: PipelineResult, config: ReportConfig) => string,
): Promise<never> {
  return await runCli(cli, async (parsed, ready) => {
    const started = performance.now();
    const config = await studyConfig(parsed);
    const parallel = parallelOptions(parsed);
    ready();
    const pipeline = await runStudy(config, {
      command: cli.command,
      cacheDir: stringFlag(parsed, "cache-dir") ?? ".cache/report",
      parallel,
      ...(typeof until === "string" ? { until } : { stages: until }),
    });
    const text = render(pipeline, config);
    console.log(booleanFlag(parsed, "markdown") ? text : markdownToText(text));
    console.error(["", ...summaryLines(pipeline, (performance.now() - started) / 1000)].join("\n"));
    return 0;
  });
}
