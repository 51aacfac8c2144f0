/**
 * One cell of the `localize` stage: a trained attention localizer on one dataset, its maps and those of
 * the baselines, clean and under every attack of the plan, scored per sample and summarised with seeded
 * bootstrap intervals. A module of its own so the cell key holds the closure of this code only.
 *
 * @module
 */
import { budgetKind, changedOptions, resolveSpec, runAttack } from "../../attacks/mod.ts";
import type { Budget } from "../../attacks/mod.ts";
import { type AvBatch, type AvDataset, type Box, disposeBatch, loadBatch } from "../../data/mod.ts";
import { tf } from "../../engine/tf.ts";
import {
  ap50,
  bootstrapInterval,
  boxAreaFraction,
  ciou,
  type Interval,
  localizationAuc,
  localizationMaps,
  mapAttack,
  massInBox,
  peakDisplacement,
  pointingGame,
  rankCorrelation,
} from "../../localize/mod.ts";
import type { LocalizerName } from "../../localize/mod.ts";
import { type AvModel, disposeOutput } from "../../models/mod.ts";
import type { AttackSetting } from "../types.ts";
import type { LocalizePlan } from "./report_config.ts";

/**
 * Entry modules of a localize cell's code, for `context.memo(…, { sources })`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(LOCALIZE_CELL_SOURCES[0] ?? "", /_localize_cell\.ts$/);
 * ```
 */
export const LOCALIZE_CELL_SOURCES: readonly string[] = [import.meta.url];

/** One row of the localization study: a localizer's maps on one dataset, clean or under one attack. */
export interface LocalizeRecord {
  /** Dataset name. */
  dataset: string;
  /** Localizer or baseline. */
  localizer: LocalizerName;
  /** Registry name of the attack (`none` clean; map attacks are `pgd` with `attackOptions.loss = "mapMass"`). */
  attack: string;
  /** Display label of the attack (`pgd`, `map-out`, `map-out+class`). */
  attackLabel: string;
  /** Which modalities the budget attacks. */
  setting: AttackSetting;
  /** ε_a and ε_v (normalised units). */
  epsAudio: number;
  epsVisual: number;
  /** Samples measured, and those with a box. */
  samples: number;
  boxed: number;
  /** Accuracy of the localizer's classifier on the (attacked) inputs. */
  accuracy: number;
  /** Box metrics (median mask), absent without boxes. AUC carries a bootstrap interval too. */
  ap50?: Interval;
  meanCiou?: Interval;
  auc?: Interval;
  pointing?: Interval;
  /** The same with the oracle-area mask. */
  oracleAp50?: Interval;
  oracleMeanCiou?: Interval;
  /** Mean box-area fraction of the boxed samples. */
  boxArea?: number;
  /** Share of the normalised map inside the box. */
  massInBox?: Interval;
  /** Peak displacement from the clean map, in frame pixels. */
  peakShift: Interval;
  /** Spearman ρ between the clean and the attacked map. */
  rankCorrelation: Interval;
}

/** What a cell returns. */
export interface LocalizeCellResult {
  records: LocalizeRecord[];
}

interface Attacked {
  label: string;
  attack: string;
  budget: Budget;
  run: (
    batch: AvBatch,
    regions: Box[],
  ) => Promise<{ audio: tf.Tensor2D; visual: tf.Tensor4D; predictions: number[] }>;
}

const CLEAN: Budget = { norm: "linf", audio: 0, visual: 0, visualUnits: "normalized" };

function plannedAttacks(model: AvModel, plan: LocalizePlan, settings: Budget[]): Attacked[] {
  const out: Attacked[] = [];
  for (const budget of settings) {
    for (const spec of plan.attacks) {
      const label = [
        resolveSpec(spec).attack,
        ...Object.entries(changedOptions(spec)).map(([k, v]) => `${k}=${v}`),
      ]
        .join(" ");
      out.push({ label, attack: spec.attack, budget, run: (batch) => runAttack(model, batch, spec, budget) });
    }
    for (const keepClass of plan.mapAttack.keepClass) {
      out.push({
        label: keepClass ? "map-out+class" : "map-out",
        attack: "pgd",
        budget,
        run: (batch, regions) =>
          mapAttack(model, batch, { budget, regions, keepClass, steps: plan.mapAttack.steps }),
      });
    }
  }
  return out;
}

/** Per sample, the box or (without one) the half-side square around the clean attention peak. */
async function regionsOf(model: AvModel, batch: AvBatch, boxes: (Box | undefined)[]): Promise<Box[]> {
  const maps = localizationMaps(model, batch, "attention");
  const [, h, w] = maps.shape;
  const peak = tf.tidy(() => tf.argMax(tf.reshape(maps, [maps.shape[0], h * w]), 1));
  const peaks = Array.from(await peak.data());
  tf.dispose([maps, peak]);
  return boxes.map((box, i) => {
    if (box) return box;
    const peak = peaks[i] ?? 0;
    const [x, y] = [((peak % w) + 0.5) / w, (Math.floor(peak / w) + 0.5) / h];
    return [x - 0.25, y - 0.25, x + 0.25, y + 0.25];
  });
}

async function mapsOf(
  model: AvModel,
  inputs: { audio: tf.Tensor2D; visual: tf.Tensor4D },
  name: LocalizerName,
) {
  const map = localizationMaps(model, inputs, name);
  const [batch, h, w] = map.shape;
  const values = new Float32Array(await map.data());
  map.dispose();
  return Array.from(
    { length: batch },
    (_, i) => ({ values: values.slice(i * h * w, (i + 1) * h * w), h, w }),
  );
}

/**
 * Runs one localize cell.
 *
 * @param model The trained attention localizer (not disposed).
 * @param dataset Its dataset (the test split is read).
 * @param options Dataset name, plan, the paper's settings, seed.
 * @returns One record per (localizer, attack, setting), clean first.
 *
 * @example Inside the localize stage
 * ```ts ignore
 * const { records } = await localizeCell(model, dataset, { name, plan, settings, seed });
 * ```
 */
export async function localizeCell(
  model: AvModel,
  dataset: AvDataset,
  options: { name: string; plan: LocalizePlan; settings: Budget[]; seed: number },
): Promise<LocalizeCellResult> {
  const { name, plan, settings, seed } = options;
  const n = Math.min(plan.samples, dataset.splits.test.size);
  const frame: [number, number] = [dataset.imageShape[0], dataset.imageShape[1]];
  const attacks = plannedAttacks(model, plan, settings);
  const rows = new Map<string, { attack: Attacked | null; localizer: LocalizerName; per: Sample[] }>();
  const names = plan.localizers;
  for (let start = 0; start < n; start += plan.batchSize) {
    const indices = Array.from({ length: Math.min(plan.batchSize, n - start) }, (_, i) => start + i);
    const samples = await Promise.all(indices.map((i) => dataset.splits.test.sample(i)));
    const boxes = samples.map((s) => s.box);
    const batch = await loadBatch(dataset.splits.test, indices, dataset);
    try {
      const labels = Array.from(await batch.labels.data());
      const output = model.apply(batch.audio, batch.visual);
      const predicted = tf.argMax(output.logits, 1);
      const cleanPredictions = Array.from(await predicted.data());
      predicted.dispose();
      disposeOutput(output);
      const regions = await regionsOf(model, batch, boxes);
      const clean = new Map<LocalizerName, Awaited<ReturnType<typeof mapsOf>>>();
      for (const localizer of names) clean.set(localizer, await mapsOf(model, batch, localizer));
      const measure = async (attack: Attacked | null, inputs: typeof batch, predictions: number[]) => {
        for (const localizer of names) {
          const key = `${attack?.label ?? "none"}|${budgetKind(attack?.budget ?? CLEAN)}|${localizer}`;
          const row = rows.get(key) ?? { attack, localizer, per: [] };
          rows.set(key, row);
          const before = clean.get(localizer) ?? [];
          const after = attack ? await mapsOf(model, inputs, localizer) : before;
          after.forEach((map, i) => {
            const base = before[i] ?? map;
            const shape: [number, number] = [map.h, map.w];
            const box = boxes[i];
            row.per.push({
              correct: predictions[i] === labels[i],
              shift: peakDisplacement(base.values, map.values, shape, frame),
              rho: rankCorrelation(base.values, map.values),
              ...(box
                ? {
                  box: {
                    ciou: ciou(map.values, shape, box, { frameShape: frame }),
                    oracle: ciou(map.values, shape, box, { frameShape: frame, mask: "oracleArea" }),
                    hit: pointingGame(map.values, shape, box),
                    mass: massInBox(map.values, shape, box, frame),
                    area: boxAreaFraction(box, frame),
                  },
                }
                : {}),
            });
          });
        }
      };
      await measure(null, batch, cleanPredictions);
      for (const attack of attacks) {
        const result = await attack.run(batch, regions);
        await measure(attack, { ...batch, audio: result.audio, visual: result.visual }, result.predictions);
        tf.dispose([result.audio, result.visual]);
      }
    } finally {
      disposeBatch(batch);
    }
  }
  const records = [...rows.values()].map(({ attack, localizer, per }) =>
    summarize(name, localizer, attack, per, { seed, resamples: plan.resamples })
  );
  return { records };
}

interface Sample {
  correct: boolean;
  shift: number;
  rho: number;
  box?: { ciou: number; oracle: number; hit: boolean; mass: number; area: number };
}

function summarize(
  dataset: string,
  localizer: LocalizerName,
  attack: Attacked | null,
  per: Sample[],
  boot: { seed: number; resamples: number },
): LocalizeRecord {
  const interval = (values: number[], statistic?: (v: readonly number[]) => number) =>
    bootstrapInterval(values, { ...boot, ...(statistic ? { statistic } : {}) });
  const boxed = per.flatMap((s) => (s.box ? [s.box] : []));
  const budget = attack?.budget ?? CLEAN;
  const cious = boxed.map((b) => b.ciou);
  return {
    dataset,
    localizer,
    attack: attack?.attack ?? "none",
    attackLabel: attack?.label ?? "none",
    setting: budgetKind(budget),
    epsAudio: budget.audio,
    epsVisual: budget.visual,
    samples: per.length,
    boxed: boxed.length,
    accuracy: per.filter((s) => s.correct).length / Math.max(per.length, 1),
    ...(boxed.length > 0
      ? {
        ap50: interval(cious, ap50),
        meanCiou: interval(cious),
        auc: interval(cious, localizationAuc),
        pointing: interval(boxed.map((b) => (b.hit ? 1 : 0))),
        oracleAp50: interval(boxed.map((b) => b.oracle), ap50),
        oracleMeanCiou: interval(boxed.map((b) => b.oracle)),
        boxArea: boxed.reduce((total, b) => total + b.area, 0) / boxed.length,
        massInBox: interval(boxed.map((b) => b.mass)),
      }
      : {}),
    peakShift: interval(per.map((s) => s.shift)),
    rankCorrelation: interval(per.map((s) => s.rho)),
  };
}
