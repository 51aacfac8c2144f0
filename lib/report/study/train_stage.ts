/**
 * The `train` stage: trains every model of the config on every dataset, one cached cell per
 * (dataset, model), with the best-validation checkpoint stored beside the cache.
 *
 * @module
 */
import { hashValue } from "../../cache/hash.ts";
import { useBackend } from "../../engine/backend.ts";
import { trainModel } from "../../train/mod.ts";
import { trainingCurvesChart } from "../charts/training_curves.ts";
import { trainingTableMarkdown } from "./training_table.ts";
import type { ReportConfig } from "./report_config.ts";
import { dataStage, type DataStageResult, openReportDataset } from "./data_stage.ts";
import type { Stage, StageContext, TrainedModel } from "../types.ts";

/** What the `train` stage returns. */
export interface TrainStageResult {
  /** One entry per (dataset, model), datasets outermost. */
  models: TrainedModel[];
}

/** Readies the config's backend once per pipeline run. */
export function readyBackend(context: StageContext<ReportConfig>): Promise<unknown> {
  return context.resource("backend", () => useBackend(context.config.backend, { seed: context.config.seed }));
}

function trainingSection(result: TrainStageResult): string {
  return [
    "## Training",
    "",
    "Best-validation weights of each model; clean test accuracy on the whole test split.",
    "",
    trainingTableMarkdown(result.models),
  ].join("\n");
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/**
 * The `train` stage. A cell's key covers the dataset hash, the model and training settings, the seed and
 * the code version, so changing one fusion retrains only that model. An interrupted training resumes
 * from its per-epoch state on the next run.
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
  code: ["lib/cache", "lib/engine", "lib/data", "lib/models", "lib/train", "lib/report/study/train_stage.ts"],
  inputs: (config) => ({
    models: config.models,
    model: config.model,
    train: config.train,
    seed: config.seed,
  }),
  artifacts: (result) => result.models.map((m) => `${m.checkpoint}/checkpoint.json`),
  report: (result) => ({ sections: [trainingSection(result)], charts: [trainingCurvesChart(result.models)] }),
  async run(context) {
    const { config } = context;
    const data: DataStageResult = context.get(dataStage);
    const total = config.datasets.length * config.models.length;
    const models: TrainedModel[] = [];
    for (const [d, spec] of config.datasets.entries()) {
      const summary = data.datasets[d];
      if (summary === undefined) {
        throw new RangeError(`Cannot train: the data stage has no dataset '${spec.name}'`);
      }
      for (const modelSpec of config.models) {
        const done = models.length;
        const label = `${spec.name} ${modelSpec.id}`;
        const inputs = {
          datasetHash: summary.hash,
          model: { ...config.model, kind: modelSpec.kind, fusion: modelSpec.fusion, seed: config.seed },
          train: { ...config.train, seed: config.seed },
        };
        const key = await hashValue({ inputs, codeVersion: context.codeVersion });
        const dir = `${context.artifactDir}/${key}`;
        const trained = await context.memo("model", inputs, async () => {
          context.progress(`train ${label}`, done / total);
          await readyBackend(context);
          const dataset = await openReportDataset(context, spec);
          const started = performance.now();
          const result = await trainModel(dataset, { model: inputs.model, train: inputs.train }, {
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
          const value: TrainedModel = {
            dataset: spec.name,
            datasetHash: summary.hash,
            model: modelSpec.id,
            kind: modelSpec.kind,
            fusion: modelSpec.fusion,
            key,
            checkpoint: `${dir}/best`,
            bestEpoch: result.best?.epoch ?? -1,
            valAccuracy: result.best?.valAccuracy ?? 0,
            testAccuracy: result.testAccuracy ?? 0,
            history: result.history,
            seconds: (performance.now() - started) / 1000,
          };
          return value;
        }, { valid: (value) => exists(`${context.cache.root}/${value.checkpoint}/checkpoint.json`) });
        models.push(trained);
      }
    }
    return { models };
  },
};
