/**
 * The notebooks' way into the pipeline: the same cached stages as the tasks, but a long profile with
 * cells missing from the cache does not start computing unless asked, and says how long it would take.
 *
 * @module
 */
import { MissingCellError } from "../pipeline/cell_scheduler.ts";
import { runPipeline, type RunPipelineOptions } from "../pipeline/pipeline.ts";
import type { PipelineResult, Stage } from "../types.ts";
import type { ReportConfig, ReportProfile } from "./report_config.ts";

/**
 * Wall-clock seconds of each stage with nothing cached, one process on an idle 2-core machine (wasm
 * backend), as measured for the README and `reports/bench.json`; null where a profile's stage was never
 * timed. Smoke: one run of `deno task report --profile smoke`; default: the `--jobs 1` cold report of
 * `deno task bench --only scale` (data 50.5 s, train 384.4 s, attack 422.1 s, localize 101.2 s, defense
 * 590.8 s; the same machine has measured up to 1.8x slower in other hours).
 */
export const COLD_STAGE_SECONDS: Readonly<Record<ReportProfile, Readonly<Record<string, number | null>>>> = {
  smoke: { data: 10, train: 15, attack: 10, localize: 6, defense: 25 },
  default: { data: 50, train: 385, attack: 420, localize: 100, defense: 590 },
  full: { data: 40, train: null, attack: null, localize: null, defense: null },
  paper: { data: null, train: null, attack: null, localize: null, defense: null },
};

/**
 * How long computing `stages` of `profile` with nothing cached takes, in words.
 *
 * @param profile The profile.
 * @param stages Stage names.
 * @returns e.g. `about 13 min (train about 6 min, attack about 7 min)`, or a warning where a stage was
 *   never timed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(coldRunEstimate("default", ["attack"]), "about 7 min (attack about 7 min)");
 * assert.match(coldRunEstimate("paper", ["train"]), /not measured/);
 * ```
 */
export function coldRunEstimate(profile: ReportProfile, stages: readonly string[]): string {
  const seconds = stages.map((stage) => COLD_STAGE_SECONDS[profile][stage] ?? null);
  const words = (s: number) =>
    s < 90
      ? `about ${Math.max(5, Math.round(s / 5) * 5)} s`
      : s < 5400
      ? `about ${Math.round(s / 60)} min`
      : `about ${(s / 3600).toFixed(1)} h`;
  if (seconds.some((s) => s === null)) {
    return `not measured for the ${profile} profile: expect hours (days for paper) on the wasm backend`;
  }
  const total = seconds.reduce<number>((sum, s) => sum + (s ?? 0), 0);
  return `${words(total)} (${stages.map((stage, i) => `${stage} ${words(seconds[i] ?? 0)}`).join(", ")})`;
}

/** A long cold run a notebook did not start. */
export class LongRunRefusedError extends Error {
  /** The stages that would have to compute. */
  readonly stages: readonly string[];
  constructor(profile: ReportProfile, stages: readonly string[], cell: string) {
    super(
      `Not started: the ${profile} profile needs ${stages.join(", ")} and the cache lacks ${cell}. ` +
        `Computing it takes ${
          coldRunEstimate(profile, stages)
        } on an idle 2-core machine (measured with the ` +
        "profile's own datasets and models). To start it " +
        "here, set `const allowLongRun = true` in the parameter cell (deno task notebooks: " +
        `--allow-long-run); or fill the cache from a terminal first: deno task report --profile ${profile} ` +
        "(worker processes, resumable; the profile's own settings)",
    );
    this.name = "LongRunRefusedError";
    this.stages = stages;
  }
}

/** Options of {@linkcode runForNotebook}. */
export interface NotebookRunOptions extends Omit<RunPipelineOptions, "sharing" | "computedSince"> {
  /** Compute cells missing from the cache for a profile other than smoke. @default false */
  allowLongRun?: boolean;
}

/**
 * Runs `stages` of the study for a notebook cell. The smoke profile runs as `runPipeline` does. Any
 * other profile first reads the cache alone (building no dataset, computing no cell): when every
 * cell is there, that is the result; when one is missing, it computes only with `allowLongRun` (after a
 * progress line with the cold-run estimate), and otherwise throws {@linkcode LongRunRefusedError}, which
 * says how long the run would take and how to allow it.
 *
 * @param stages The ordered registry (or a prefix with `until`).
 * @param config The resolved config.
 * @param options The pipeline's options, and `allowLongRun`.
 * @returns What `runPipeline` returns.
 * @throws {LongRunRefusedError} If cells are missing, the profile is not smoke and `allowLongRun` is false.
 *
 * @example
 * ```ts ignore
 * const run = await runForNotebook(REPORT_STAGES, config, { cacheDir, until: "attack", allowLongRun: false });
 * ```
 */
export async function runForNotebook(
  stages: readonly Stage<ReportConfig, unknown>[],
  config: ReportConfig,
  options: NotebookRunOptions,
): Promise<PipelineResult> {
  const { allowLongRun = false, ...pipeline } = options;
  if (config.profile === "smoke") return await runPipeline(stages, config, pipeline);
  let current = "";
  const onEvent: NonNullable<RunPipelineOptions["onEvent"]> = (event) => {
    if (event.type === "start") current = event.stage;
    pipeline.onEvent?.(event);
  };
  let missing: MissingCellError;
  try {
    return await runPipeline(stages, config, { ...pipeline, onEvent, sharing: { cachedOnly: true } });
  } catch (error) {
    if (!(error instanceof MissingCellError)) throw error;
    missing = error;
  }
  const names = stages.map((stage) => stage.name);
  const last = pipeline.until === undefined ? names.length : names.indexOf(pipeline.until) + 1;
  const todo = names.slice(Math.max(0, names.indexOf(current)), last);
  if (!allowLongRun) throw new LongRunRefusedError(config.profile, todo, missing.cell);
  pipeline.onEvent?.({
    type: "progress",
    stage: current,
    message: `not cached: computing ${todo.join(", ")} takes ${coldRunEstimate(config.profile, todo)}`,
  });
  return await runPipeline(stages, config, pipeline);
}
