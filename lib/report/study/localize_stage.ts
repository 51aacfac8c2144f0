/**
 * The `localize` stage: trains the weakly supervised attention localizer on every dataset (class labels
 * only, through the train stage's cell code and cache), and measures its maps and the baselines' clean
 * and under the classification and map attacks, per attacked modality.
 *
 * @module
 */
import { LOCALIZER_MODEL } from "../../localize/mod.ts";
import { overlayMarkdown, type OverlaySample } from "../charts/mod.ts";
import { loadCheckpoint } from "../../train/mod.ts";
import {
  localizationBaselineCheck,
  localizationTableMarkdown,
  localizationVerdict,
  type LocalizeRecord,
} from "./localization_table.ts";
import { LOCALIZE_CELL_SOURCES, localizeCell } from "./_localize_cell.ts";
import { CELL_COSTS } from "./cell_costs.ts";
import type { DatasetSpec, LocalizePlan, ReportConfig } from "./report_config.ts";
import { builtinHash } from "../../data/builtin/builtin.ts";
import { trainingStudyInputs } from "./_stage_inputs.ts";
import { dataStage, openReportDataset } from "./data_stage.ts";
import { TRAIN_CELL_SOURCES, trainCell } from "./_train_cell.ts";
import { readyBackend } from "./train_stage.ts";
import { visualStdOf } from "./visual_std.ts";
import type { Stage, TrainedModel } from "../types.ts";
import { escapeMarkdown } from "../../text/escape.ts";

export type { LocalizeRecord } from "./localization_table.ts";

/** What the `localize` stage returns. */
export interface LocalizeStageResult {
  /** The attention localizer trained on each dataset. */
  localizers: TrainedModel[];
  /** Every measured row, datasets outermost, clean rows first. */
  records: LocalizeRecord[];
  /** Per measured dataset, the overlay samples (frame, box, attention maps clean and per setting). */
  overlays: { dataset: string; panels: string[]; samples: OverlaySample[] }[];
}

/**
 * The dataset the localizer is trained and measured on: built-in `av-instruments` in the plan's scene
 * (a variant with its own hash and cache entry), any other dataset as it is.
 */
function localizedSpec(spec: DatasetSpec, plan: LocalizePlan): DatasetSpec {
  return spec.source === "builtin" && spec.name === "av-instruments" && plan.scene !== "solo"
    ? { ...spec, scene: plan.scene }
    : spec;
}

function localizeSection(result: LocalizeStageResult): string {
  if (result.records.length === 0) return "";
  return [
    "## Sound-source localization",
    "",
    "Maps of an audio-guided attention localizer (AVE-style additive attention with an auxiliary head that " +
    "classifies each location and mixes by the attention, trained with class labels only, 10×10 map smoothed by " +
    "a Gaussian of σ = 0.2 of its side, as every model map is) and of the baselines, clean and under attack " +
    "(the paper's budgets, listed under the table with their pixel sizes). On `av-instruments` " +
    "the localizer is trained and measured on its `duet` scenes: two instruments of different classes side by " +
    "side, each filling half the frame, only one of them sounding (the classification study's frames show one " +
    "big central instrument, which a centre prior finds as well). Metrics as the " +
    "LVS/EZ-VSL evaluator computes them: the map upsampled bilinearly to the frame, min-max normalised, " +
    "binarised at its median (threshold = sorted values at index ⌊n/2⌋, keep m ≥ threshold); AP50 = share " +
    "of samples with cIoU ≥ 0.5; AUC over t = 0, 0.05, …, 1; pointing game = peak inside the box; the " +
    "oracle-area mask predicts as many pixels as the box has. Brackets: 95% seeded bootstrap intervals. " +
    "`map-out` attacks push the attention mass out of the box (`+class`: while keeping the predicted class).",
    "",
    localizationTableMarkdown(result.records),
    "",
    localizationBaselineCheck(result.records),
    "",
    localizationVerdict(result.records),
    ...result.overlays.flatMap(({ dataset, panels, samples }) => [
      "",
      `### Attention maps on ${escapeMarkdown(dataset)}`,
      "",
      overlayMarkdown(samples, panels),
    ]),
  ].join("\n");
}

/**
 * The `localize` stage. The localizer is a train cell (same code and cache as the `train` stage, model
 * id `localizer`); each dataset's measurements are one cell keyed by the localizer's key, the plan, the
 * paper settings, the seed and the source hash of `_localize_cell.ts`'s closure. Datasets without boxes
 * get the map-shift measures only. A config without a plan (`paper`) records nothing.
 *
 * @example
 * ```ts ignore
 * const { results } = await runPipeline(REPORT_STAGES, config, { cacheDir: ".cache/report" });
 * ```
 */
export const localizeStage: Stage<ReportConfig, LocalizeStageResult> = {
  name: "localize",
  description: "train the attention localizer; its maps and the baselines' clean and under attack",
  needs: ["data"],
  sources: [import.meta.url],
  inputs: (config) => ({ localize: config.localize, ...trainingStudyInputs(config) }),
  artifacts: (result) => result.localizers.map((m) => `${m.checkpoint}/checkpoint.json`),
  report: (result) => ({
    sections: [localizeSection(result)].filter((s) => s !== ""),
    results: { localization: result.records },
  }),
  async run(context) {
    const { config } = context;
    const plan = config.localize;
    if (plan === null) return { localizers: [], records: [], overlays: [] };
    const data = context.get(dataStage);
    const measured = config.datasets.flatMap((given, d) => {
      if (plan.datasets !== null && !plan.datasets.includes(given.name)) return [];
      const summary = data.datasets[d];
      if (summary === undefined) {
        throw new RangeError(`Cannot localize: the data stage has no dataset '${given.name}'`);
      }
      return [{ given, d, summary }];
    });
    const model = { ...config.model, ...LOCALIZER_MODEL, seed: config.seed };
    const train = { ...config.train, seed: config.seed };
    // Datasets are issued together (one process computes one cell at a time; workers share them), the
    // localizers and their measurements as one batch that shards split by estimated cost.
    const batch = context.cellBatch(measured.flatMap(({ given, summary }) => [
      {
        namespace: "model",
        label: `${given.name} localizer`,
        cost: CELL_COSTS.train({ kind: "av", train, sizes: summary.sizes }),
      },
      { namespace: "cell", label: given.name, cost: CELL_COSTS.localize(plan) },
    ]));
    const perDataset = await Promise.all(measured.map(async ({ given, d, summary }) => {
      const spec = localizedSpec(given, plan);
      // A scene variant is built on first use through the same cached, locked path as the data stage's.
      const datasetHash = spec === given || spec.source !== "builtin"
        ? summary.hash
        : await builtinHash(spec.name, {
          size: spec.size,
          seed: spec.seed,
          ...(spec.scene ? { scene: spec.scene } : {}),
        });
      const job = {
        dataset: spec.name,
        datasetHash,
        open: () => openReportDataset(context, spec),
        model: "localizer",
        kind: "av" as const,
        fusion: "attention",
        inputs: { model, train },
        done: d,
        total: config.datasets.length,
      };
      const trained = await context.memo(
        "model",
        { datasetHash, model, train },
        (key) => trainCell(context, { ...job, key }),
        { sources: TRAIN_CELL_SOURCES, label: `${spec.name} localizer`, batch },
      );
      const cell = await context.memo(
        "cell",
        { localizer: trained.key, plan, settings: config.attack.settings, seed: context.inputs },
        async () => {
          context.progress(`localize ${spec.name}`, (d + 0.5) / config.datasets.length);
          await readyBackend(context);
          const dataset = await openReportDataset(context, spec);
          const { model: loaded } = await loadCheckpoint(`${context.cache.root}/${trained.checkpoint}`, {
            datasetHash: trained.datasetHash,
          });
          try {
            const { audio, visual, joint } = config.attack.settings;
            return await localizeCell(loaded, dataset, {
              name: spec.name,
              plan,
              settings: [audio, visual, joint],
              seed: config.attack.seed ?? config.seed,
            });
          } finally {
            loaded.dispose();
          }
        },
        { sources: LOCALIZE_CELL_SOURCES, label: spec.name, batch },
      );
      const attack = plan.overlays.attack;
      // Kept in every row for the budgets' pixel sizes (the cell's records do not hold it).
      const visualStd = visualStdOf(model, summary.imageShape[2] ?? 1);
      return {
        trained,
        records: cell.records.map((r): LocalizeRecord => ({ ...r, visualStd: [...visualStd] })),
        overlays: {
          dataset: spec.name,
          panels: ["clean", "audio", "visual", "joint"].map((s) =>
            s === "clean" ? "clean map" : `${attack} on ${s}`
          ),
          samples: cell.overlays,
        },
      };
    }));
    const localizers: TrainedModel[] = perDataset.map((p) => p.trained);
    const records: LocalizeRecord[] = perDataset.flatMap((p) => p.records);
    const overlays: LocalizeStageResult["overlays"] = perDataset.map((p) => p.overlays);
    return { localizers, records, overlays };
  },
};
