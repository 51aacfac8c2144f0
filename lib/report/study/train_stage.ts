/**
 * The `train` stage: trains every model of the config on every dataset, one cached cell per
 * (dataset, model), with the best-validation checkpoint stored beside the cache.
 *
 * @module
 */
import { trainingCurvesChart } from "../charts/training_curves.ts";
import { trainingTableMarkdown } from "./training_table.ts";
import type { ReportConfig } from "./report_config.ts";
import { dataStage, type DataStageResult, openReportDataset } from "./data_stage.ts";
import { CELL_COSTS } from "./cell_costs.ts";
import { checkpointProblem, modelsProblem, TRAIN_CELL_SOURCES, trainCell } from "./_train_cell.ts";
import type { Stage, TrainedModel } from "../types.ts";

export { readyBackend } from "./_train_cell.ts";

/** What the `train` stage returns. */
export interface TrainStageResult {
  /** One entry per (dataset, model), datasets outermost. */
  models: TrainedModel[];
}

function trainingSection(result: TrainStageResult): string {
  return [
    "## Training",
    "",
    "Best-validation weights of each model; clean accuracy on the whole validation and test splits, in " +
    "percent with 95% Wilson intervals in brackets.",
    "",
    trainingTableMarkdown(result.models),
  ].join("\n");
}

/**
 * The `train` stage. A cell's key covers the dataset hash, the model and training settings, the seed and
 * the source hash of the training code (the closure of `_train_cell.ts`: lib/train, lib/models,
 * lib/engine/backend.ts), so changing one fusion retrains only that model and editing the report's
 * charts retrains nothing. An interrupted training resumes from its per-epoch state on the next run. A
 * cached model is reused only if its checkpoint passes {@linkcode checkpointProblem}'s hash check (on a
 * stage-level hit too); otherwise that model alone is trained again.
 *
 * @example
 * ```ts ignore
 * const { results } = await runPipeline([dataStage, trainStage], config, { cacheDir: ".cache/report" });
 * ```
 */
export const trainStage: Stage<ReportConfig, TrainStageResult> = {
  name: "train",
  description: "train the unimodal and audio-visual models",
  needs: ["data"],
  sources: [import.meta.url],
  inputs: (config) => ({
    models: config.models,
    model: config.model,
    train: config.train,
    seed: config.seed,
    ...(config.visualWeights ? { visualWeights: config.visualWeights.sha256 } : {}),
  }),
  artifacts: (result) => result.models.map((m) => `${m.checkpoint}/checkpoint.json`),
  verify: (result, cacheDir) => modelsProblem(cacheDir, result.models),
  report: (result) => ({ sections: [trainingSection(result)], charts: [trainingCurvesChart(result.models)] }),
  async run(context) {
    const { config } = context;
    const data: DataStageResult = context.get(dataStage);
    const total = config.datasets.length * config.models.length;
    // Every model's cell is issued at once (in config order): one process still trains one at a time, and
    // processes that share the cache (workers, shards) take the next untrained one; shards split the batch
    // by estimated cost.
    const jobs = config.datasets.flatMap((spec, d) => {
      const summary = data.datasets[d];
      if (summary === undefined) {
        throw new RangeError(`Cannot train: the data stage has no dataset '${spec.name}'`);
      }
      return config.models.map((modelSpec) => ({
        spec,
        summary,
        modelSpec,
        label: `${spec.name} ${modelSpec.id}`,
      }));
    });
    const batch = context.cellBatch(jobs.map(({ summary, modelSpec, label }) => ({
      namespace: "model",
      label,
      cost: CELL_COSTS.train({ kind: modelSpec.kind, train: config.train, sizes: summary.sizes }),
    })));
    const models: TrainedModel[] = await Promise.all(jobs.map(({ spec, summary, modelSpec, label }, done) => {
      // Pretrained visual weights, where the model has a visual encoder (keyed by their hash).
      const weights = modelSpec.kind === "audio" ? undefined : config.visualWeights;
      const inputs = {
        datasetHash: summary.hash,
        model: { ...config.model, kind: modelSpec.kind, fusion: modelSpec.fusion, seed: config.seed },
        train: { ...config.train, seed: config.seed },
        ...(weights ? { visualWeights: weights.sha256 } : {}),
      };
      const job = {
        dataset: spec.name,
        datasetHash: summary.hash,
        open: () => openReportDataset(context, spec),
        model: modelSpec.id,
        kind: modelSpec.kind,
        fusion: modelSpec.fusion,
        inputs: { model: inputs.model, train: inputs.train },
        done,
        total,
        ...(weights ? { visualWeights: weights } : {}),
      };
      const samples = { val: summary.sizes.val ?? 0, test: summary.sizes.test ?? 0 };
      const trained = context.memo("model", inputs, (key) => trainCell(context, { ...job, key }), {
        sources: TRAIN_CELL_SOURCES,
        label,
        batch,
        valid: async (value) => {
          const problem = await checkpointProblem(context.cache.root, value);
          if (problem !== undefined) {
            context.progress(`train ${spec.name} ${modelSpec.id}: ${problem}; retraining`);
          }
          return problem === undefined;
        },
      });
      // The split sizes come from the dataset summary, outside the cell, so cached models gain them too.
      return trained.then((model) => ({ ...model, samples }));
    }));
    return { models };
  },
};
