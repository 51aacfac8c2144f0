/**
 * The `data` stage: builds (or opens) every dataset of the report and records what it is.
 *
 * @module
 */
import { openCsvLayout } from "../../data/mod.ts";
import { builtinCached, loadBuiltin } from "../../data/builtin/builtin.ts";
import type { AvDataset } from "../../data/mod.ts";
import type { DatasetSpec, ReportConfig } from "./report_config.ts";
import type { DatasetSummary, Stage, StageContext } from "../types.ts";

/** What the `data` stage returns. */
export interface DataStageResult {
  /** One summary per dataset, in config order (`hash` is the dataset's content hash). */
  datasets: DatasetSummary[];
}

/**
 * Opens a dataset of a report config. Built-in datasets are generated on first use and cached under
 * `<cacheRoot>/data`; user datasets are opened lazily from their root.
 *
 * @param spec The dataset.
 * @param cacheRoot The report cache folder (e.g. `.cache/report`).
 * @param onProgress Progress lines (about one per tenth of each generator stage, and one when the cached
 *   dataset fails its hash check and is rebuilt).
 * @returns The dataset.
 *
 * @example
 * ```ts ignore
 * const dataset = await openDatasetSpec(config.datasets[0], ".cache/report");
 * ```
 */
export async function openDatasetSpec(
  spec: DatasetSpec,
  cacheRoot: string,
  onProgress: (message: string) => void = () => {},
): Promise<AvDataset> {
  if (spec.source === "csv") {
    return await openCsvLayout(spec.root, {
      name: spec.name,
      audioLength: spec.audioLength,
      imageSize: spec.imageSize,
      skipBroken: spec.skipBroken,
      ...(spec.classes ? { classes: spec.classes } : {}),
      ...(spec.rehash ? { rehash: true } : {}),
    });
  }
  let last = "";
  return await loadBuiltin(spec.name, {
    size: spec.size,
    seed: spec.seed,
    ...(spec.scene ? { scene: spec.scene } : {}),
    cacheDir: `${cacheRoot}/data`,
    onProgress: ({ stage, done, total }) => {
      const tenth = `${stage} ${total > 0 ? Math.floor((10 * done) / total) : 0}`;
      if (tenth !== last) onProgress(`${spec.name}: ${stage} ${done}/${total}`);
      last = tenth;
    },
    onWarning: onProgress,
  });
}

/**
 * Opens a dataset of the config once per pipeline run (shared by every stage through
 * `context.resource`), with progress going to the stage.
 *
 * @param context The running stage's context.
 * @param spec The dataset.
 * @returns The dataset.
 *
 * @example
 * ```ts ignore
 * const dataset = await openReportDataset(context, context.config.datasets[0]);
 * ```
 */
export function openReportDataset(
  context: StageContext<ReportConfig>,
  spec: DatasetSpec,
): Promise<AvDataset> {
  return context.resource(
    `dataset:${JSON.stringify(spec)}`,
    // Processes that share the cache (workers, shards) build a built-in dataset once: the others wait,
    // or build another one. A cache-only run (the `--jobs` probe, a notebook) never builds one.
    () =>
      context.exclusive(
        `data-${spec.name.replace(/[^\w.-]/g, "_")}`,
        () => openDatasetSpec(spec, context.cache.root, (message) => context.progress(message)),
        { isCached: () => datasetSpecCached(spec, context.cache.root) },
      ),
  );
}

/** Whether opening `spec` reads what is there: a CSV layout always, a built-in dataset once built. */
function datasetSpecCached(spec: DatasetSpec, cacheRoot: string): Promise<boolean> {
  if (spec.source === "csv") return Promise.resolve(true);
  return builtinCached(spec.name, {
    size: spec.size,
    seed: spec.seed,
    ...(spec.scene ? { scene: spec.scene } : {}),
    cacheDir: `${cacheRoot}/data`,
  });
}

function summarize(spec: DatasetSpec, dataset: AvDataset): DatasetSummary {
  return {
    name: spec.name,
    source: spec.source === "builtin"
      ? `built-in (${spec.size}${
        spec.scene && spec.scene !== "solo" ? `, ${spec.scene} scenes` : ""
      }, seed ${spec.seed})`
      : spec.root,
    classes: [...dataset.classes],
    sizes: { train: dataset.splits.train.size, val: dataset.splits.val.size, test: dataset.splits.test.size },
    sampleRate: dataset.sampleRate,
    audioLength: dataset.audioLength,
    imageShape: [...dataset.imageShape],
    hash: dataset.hash,
    skipped: dataset.skipped.map((clip) => ({ path: clip.path, reason: clip.reason })),
  };
}

/**
 * The `data` stage. Its result carries each dataset's content hash, so every later stage's key changes
 * with the data.
 *
 * @example
 * ```ts ignore
 * const { results } = await runPipeline([dataStage], resolveReportConfig({ profile: "smoke" }), { cacheDir: ".cache/report" });
 * ```
 */
export const dataStage: Stage<ReportConfig, DataStageResult> = {
  name: "data",
  description: "build or open the datasets",
  sources: [import.meta.url],
  inputs: (config) => ({ datasets: config.datasets }),
  report: (result) => ({ datasets: result.datasets }),
  async run(context) {
    // Issued together: opened one at a time in this process, while processes that share the cache build
    // different datasets side by side.
    const { datasets: specs } = context.config;
    let opened = 0;
    const datasets = await Promise.all(specs.map(async (spec) => {
      const dataset = await openReportDataset(context, spec);
      context.progress(`opened ${spec.name}`, ++opened / specs.length);
      return summarize(spec, dataset);
    }));
    return { datasets };
  },
};
