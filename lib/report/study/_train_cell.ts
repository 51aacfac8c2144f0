/**
 * One cell of the `train` stage: trains a (dataset, model) pair and keeps its best checkpoint. A module
 * of its own so that a cell's key holds the source hash of the training code (this module's closure:
 * lib/train, lib/models, lib/engine/backend.ts), not of the report code the stage file imports.
 *
 * @module
 */
import { useBackend } from "../../engine/backend.ts";
import { DataFormatError } from "../../data/errors.ts";
import { hashValue } from "../../cache/hash.ts";
import { readCheckpointMeta, verifyCheckpoint } from "../../train/checkpoint.ts";
import { CheckpointMismatchError } from "../../train/checkpoint_mismatch_error.ts";
import { formatProgress } from "../../train/progress.ts";
import { trainModel, type TrainModelConfig, type TrainModelOptions } from "../../train/train_model.ts";
import type { AvDataset } from "../../data/types.ts";
import type { ReportConfig } from "./report_config.ts";
import type { StageContext, TrainedModel } from "../types.ts";

/**
 * Entry modules of a train cell's code, for `context.memo(…, { sources })`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(TRAIN_CELL_SOURCES[0] ?? "", /_train_cell\.ts$/);
 * ```
 */
export const TRAIN_CELL_SOURCES: readonly string[] = [import.meta.url];

/**
 * Readies the config's backend once per pipeline run.
 *
 * @param context The running stage's context.
 * @returns The shared backend resource.
 *
 * @example Inside a stage's run
 * ```ts ignore
 * await readyBackend(context);
 * ```
 */
export function readyBackend(context: StageContext<ReportConfig>): Promise<unknown> {
  return context.resource("backend", () => useBackend(context.config.backend, { seed: context.config.seed }));
}

/**
 * Why the checkpoint of a trained model cannot be reused, or undefined when it can: its files must match
 * the hashes its `checkpoint.json` records, and that file the hash the cell recorded (a checkpoint folder
 * swapped with another model's fails the second test).
 *
 * @param cacheRoot The cache root that `trained.checkpoint` is relative to.
 * @param trained The cell's record.
 * @returns A phrase such as `checkpoint … failed its hash check (…)`, or undefined.
 *
 * @example A missing checkpoint
 * ```ts ignore
 * assert.match(await checkpointProblem(root, trained) ?? "", /failed its hash check/);
 * ```
 */
export async function checkpointProblem(
  cacheRoot: string,
  trained: Pick<TrainedModel, "checkpoint" | "checkpointHash">,
): Promise<string | undefined> {
  const fail = (why: string) => `checkpoint ${trained.checkpoint} failed its hash check (${why})`;
  try {
    const hash = await verifyCheckpoint(`${cacheRoot}/${trained.checkpoint}`);
    return hash === trained.checkpointHash
      ? undefined
      : fail("it is another checkpoint than the cell recorded");
  } catch (error) {
    if (error instanceof DataFormatError) return fail(error.message);
    throw error;
  }
}

/**
 * The first of `models` whose checkpoint cannot be reused ({@linkcode checkpointProblem}), as
 * `<dataset> <model>: <problem>`, or undefined: a stage's `verify`.
 *
 * @example
 * ```ts ignore
 * verify: (result, cacheDir) => modelsProblem(cacheDir, result.models),
 * ```
 */
export async function modelsProblem(
  cacheRoot: string,
  models: readonly TrainedModel[],
): Promise<string | undefined> {
  for (const trained of models) {
    const problem = await checkpointProblem(cacheRoot, trained);
    if (problem !== undefined) return `${trained.dataset} ${trained.model}: ${problem}`;
  }
  return undefined;
}

/** Why the saved run in `root` (resume state and best checkpoint) cannot be resumed, or undefined. */
async function savedRunProblem(root: string): Promise<string | undefined> {
  try {
    await Deno.stat(`${root}/state`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  try {
    await verifyCheckpoint(`${root}/state`);
    await verifyCheckpoint(`${root}/best`);
    const state = JSON.parse(await Deno.readTextFile(`${root}/state/checkpoint.json`));
    const best = await readCheckpointMeta(`${root}/best`);
    const runOf = (meta: { config?: unknown; datasetHash?: unknown } | undefined) =>
      hashValue({ config: meta?.config, datasetHash: meta?.datasetHash });
    if ((await runOf(state.identity)) !== (await runOf(best))) {
      return "the best checkpoint belongs to another run";
    }
    return undefined;
  } catch (error) {
    if (error instanceof DataFormatError) return error.message;
    throw error;
  }
}

/** What one train cell trains. */
export interface TrainCellJob {
  /** Dataset name, its content hash, and how to open it. */
  dataset: string;
  datasetHash: string;
  open: () => Promise<AvDataset>;
  /** Model id, encoders and fusion. */
  model: string;
  kind: TrainedModel["kind"];
  fusion: string;
  /** Model and training settings (the cell's inputs). */
  inputs: TrainModelConfig;
  /** The cell key: names the checkpoint folder and the weights. */
  key: string;
  /** Cells done before this one and cells in all, for progress. */
  done: number;
  total: number;
  /**
   * Fine-tuning (the defense stage): the starting checkpoint, a wrapper (a defense in the loop) and a
   * per-batch perturbation (adversarial training); the caller keys the cell by what determines them.
   * @default training from scratch on clean batches
   */
  fineTune?: Pick<TrainModelOptions, "initialCheckpoint" | "wrap" | "perturb">;
  /** Pretrained ResNet-18 weights the visual encoder starts from (the caller keys the cell by the hash). */
  visualWeights?: { path: string; sha256: string };
}

/**
 * Trains one model of the `train` stage into `<artifactDir>/<key>/` (an interrupted run resumes there,
 * unless its saved state or best checkpoint fails its hash check: then it starts over, saying so) and
 * describes its best-validation checkpoint.
 *
 * @param context The running stage's context (backend, progress, cache root).
 * @param job The dataset, model, settings and cell key.
 * @returns The trained model's record.
 *
 * @example Inside the train stage
 * ```ts ignore
 * const trained = await context.memo("model", inputs, (key) => trainCell(context, { ...job, key }), {
 *   sources: TRAIN_CELL_SOURCES,
 * });
 * ```
 */
export async function trainCell(
  context: StageContext<ReportConfig>,
  job: TrainCellJob,
): Promise<TrainedModel> {
  const { done, total } = job;
  const label = `${job.dataset} ${job.model}`;
  const dir = `${context.artifactDir}/${job.key}`;
  context.progress(`train ${label}`, done / total);
  await readyBackend(context);
  const outDir = `${context.cache.root}/${dir}`;
  const restart = async (why: string) => {
    context.progress(`train ${label}: the saved run failed its hash check (${why}); training from scratch`);
    await Deno.remove(outDir, { recursive: true });
  };
  const problem = await savedRunProblem(outDir);
  if (problem !== undefined) await restart(problem);
  const dataset = await job.open();
  const started = performance.now();
  const train = () =>
    trainModel(dataset, job.inputs, {
      ...job.fineTune,
      ...(job.visualWeights ? { initialVisualWeights: job.visualWeights } : {}),
      outDir,
      evaluateTest: true,
      onProgress: (event) => {
        if (event.kind === "memory") context.progress(`train ${label}: ${formatProgress(event)}`);
        if (event.kind !== "epoch") return;
        const r = event.record;
        context.progress(
          `train ${label}: epoch ${r.epoch + 1}/${event.epochs}, loss ${r.trainLoss.toFixed(3)}, ` +
            `val ${(r.valAccuracy * 100).toFixed(1)} %`,
          (done + (r.epoch + 1) / event.epochs) / total,
        );
      },
    });
  let result: Awaited<ReturnType<typeof train>>;
  try {
    result = await train();
  } catch (error) {
    // A resume state of another model (a swapped folder) is refused before any training.
    if (!(error instanceof CheckpointMismatchError)) throw error;
    await restart(error.message);
    result = await train();
  }
  result.model.dispose();
  return {
    dataset: job.dataset,
    datasetHash: job.datasetHash,
    model: job.model,
    kind: job.kind,
    fusion: job.fusion,
    key: job.key,
    checkpoint: `${dir}/best`,
    checkpointHash: await verifyCheckpoint(`${context.cache.root}/${dir}/best`),
    bestEpoch: result.best?.epoch ?? -1,
    valAccuracy: result.best?.valAccuracy ?? 0,
    testAccuracy: result.testAccuracy ?? 0,
    history: result.history,
    seconds: (performance.now() - started) / 1000,
  };
}
