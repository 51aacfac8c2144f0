/**
 * A stand-in for the data stage in stage tests: puts a tiny synthetic dataset (32/16/16 samples) where the
 * later stages open the config's dataset `spec`.
 *
 * @module
 */
import type { DataStageResult } from "../../../lib/report/study/data_stage.ts";
import type { DatasetSpec, ReportConfig } from "../../../lib/report/study/report_config.ts";
import type { Stage } from "../../../lib/report/types.ts";
import { syntheticDataset } from "../../train/_fixtures.ts";

/** The fake data stage for `spec` (the config's first dataset, say). */
export function fakeDataStage(spec: DatasetSpec | undefined): Stage<ReportConfig, DataStageResult> {
  const sizes = { train: 32, val: 16, test: 16 };
  return {
    name: "data",
    description: "a synthetic dataset",
    sources: [import.meta.url],
    inputs: () => ({}),
    async run(context) {
      const dataset = await context.resource(
        `dataset:${JSON.stringify(spec)}`,
        () => Promise.resolve({ ...syntheticDataset({ sizes }), name: spec?.name ?? "" }),
      );
      return {
        datasets: [{
          name: dataset.name,
          source: "synthetic",
          classes: [...dataset.classes],
          sizes,
          sampleRate: dataset.sampleRate,
          audioLength: dataset.audioLength,
          imageShape: [...dataset.imageShape],
          hash: dataset.hash,
          skipped: [],
        }],
      };
    },
  };
}
