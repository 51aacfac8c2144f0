/**
 * The study's command line, shared by `report`, `train` and `attack`: they run the same profile through
 * the same cached pipeline (`report` all of it, `train` and `attack` a prefix), so every number they print
 * comes from the records the supplement shows.
 *
 * @module
 */
import { resolve } from "node:path";
import {
  type CellSharing,
  markdownToText,
  MissingCellError,
  PAPER_PROFILE_NEEDS,
  type PipelineResult,
  progressPrinter,
  REPORT_STAGES,
  type ReportConfig,
  runPipeline,
  type RunPipelineOptions,
  type Stage,
  type StageSummary,
} from "../lib/report/mod.ts";
import { checkBackend } from "../lib/engine/check_backend.ts";
import { booleanFlag, type Cli, type Flag, runCli, stringFlag, terminalWriter } from "./_cli.ts";
import { onInterrupt, resumeHint } from "./_interrupt.ts";
import { type ParallelOptions, parallelOptions, studyConfig } from "./_study_flags.ts";
import { startWorkers, WORKER_ENV, type Workers } from "./_workers.ts";

export {
  ATTACK_FLAGS,
  EXAMPLE_FLAGS,
  type ParallelOptions,
  parallelOptions,
  STUDY_FLAGS,
  studyConfig,
  TRAIN_FLAGS,
} from "./_study_flags.ts";

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
  // A missing package or GPU adapter is reported now, not once training starts (exit 1, one line).
  if (config.backend !== "wasm" && config.backend !== "cpu") {
    print((await checkBackend(config.backend)).summary);
  }
  const worker = Deno.env.get(WORKER_ENV) !== undefined;
  const running: { workers?: Workers } = {};
  if (!worker) {
    onInterrupt(() => resumeHint(options.command, Deno.args, cacheDir), () => running.workers?.stop());
  }
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
      } done: ${computed} cells computed; peak resident memory ${peakResidentLine()}`,
    );
    Deno.exit(0);
  }
  if (parallel.jobs <= 1) return await run();
  // First from the cache alone: a warm study starts no worker. Otherwise the workers and this process
  // share the work, from the datasets on (two processes build two datasets side by side).
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
  const workers = await startWorkers(parallel.jobs - 1, cacheDir, print);
  running.workers = workers;
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
  const stageSeconds = pipeline.summary.reduce((total, s) => total + s.seconds, 0);
  const names = (status: string) =>
    pipeline.summary.filter((s) => s.status === status).map((s) => s.name).join(", ") || "nothing";
  return [
    "Summary",
    "  stage    status    seconds",
    ...rows,
    `  ran: ${names("ran")}; from cache: ${names("cached")}`,
    `  total: ${totalSeconds.toFixed(1)} s (pipeline ${pipeline.seconds.toFixed(1)} s)`,
    ...(stageSeconds > pipeline.seconds * 1.01
      ? ["  (stages ran side by side, each as soon as the stages it needs had ended: their seconds overlap)"]
      : []),
    `  peak resident memory: ${peakResidentLine()}`,
  ];
}

/** This process's peak resident memory (Linux `VmHWM`), or its current one where /proc is absent. */
function peakResidentLine(): string {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const peak = /^VmHWM:\s+(\d+) kB/m.exec(status);
    if (peak) return `${mib(Number(peak[1]) * 1024)} (this process; each worker's is in its log)`;
  } catch {
    // Not Linux: fall through to the current size.
  }
  return `${mib(Deno.memoryUsage().rss)} now (no /proc/self/status for the peak)`;
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
