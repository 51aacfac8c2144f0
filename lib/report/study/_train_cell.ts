/**
 * One cell of the `train` stage: trains a (dataset, model) pair and keeps its best checkpoint. A module
 * of its own so that a cell's key holds the source hash of the training code (this module's closure:
 * lib/train, lib/models, lib/engine/backend.ts), not of the report code the stage file imports.
 *
 * @module
 */
import { useBackend } from "../../engine/backend.ts";
import { trainModel, type TrainModelConfig } from "../../train/train_model.ts";
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
}

/**
 * Trains one model of the `train` stage into `<artifactDir>/<key>/` (an interrupted run resumes there)
 * and describes its best-validation checkpoint.
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
  const dataset = await job.open();
  const started = performance.now();
  const result = await trainModel(dataset, job.inputs, {
    outDir: `${context.cache.root}/${dir}`,
    evaluateTest: true,
    onProgress: (event) => {
      if (event.kind !== "epoch") return;
      const r = event.record;
      context.progress(
        `train ${label}: epoch ${r.epoch + 1}/${event.epochs}, loss ${r.trainLoss.toFixed(3)}, ` +
          `val ${(r.valAccuracy * 100).toFixed(1)} %`,
        (done + (r.epoch + 1) / event.epochs) / total,
      );
    },
  });
  result.model.dispose();
  return {
    dataset: job.dataset,
    datasetHash: job.datasetHash,
    model: job.model,
    kind: job.kind,
    fusion: job.fusion,
    key: job.key,
    checkpoint: `${dir}/best`,
    bestEpoch: result.best?.epoch ?? -1,
    valAccuracy: result.best?.valAccuracy ?? 0,
    testAccuracy: result.testAccuracy ?? 0,
    history: result.history,
    seconds: (performance.now() - started) / 1000,
  };
}
