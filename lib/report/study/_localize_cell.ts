/**
 * One cell of the `localize` stage: a trained attention localizer on one dataset, its maps and those of
 * the baselines, clean and under every attack of the plan, scored per sample and summarised with seeded
 * bootstrap intervals. A module of its own so the cell key holds the closure of this code only.
 *
 * @module
 */
import { budgetKind, changedOptions, resolveSpec, runAttack } from "../../attacks/mod.ts";
import type { Budget } from "../../attacks/mod.ts";
import { type AvBatch, disposeBatch, loadBatch } from "../../data/batch.ts";
import type { AvDataset, AvSample, Box } from "../../data/types.ts";
import { tf } from "../../engine/tf.ts";
import {
  boxAreaFraction,
  ciou,
  localizationMaps,
  localizationMapSet,
  LOCALIZERS,
  mapAttack,
  massInBox,
  peakDisplacement,
  pointingGame,
  rankCorrelation,
} from "../../localize/mod.ts";
import type { LocalizerName } from "../../localize/mod.ts";
import { type AvModel, disposeOutput } from "../../models/mod.ts";
import type { OverlaySample } from "../charts/mod.ts";
import type { LocalizePlan } from "./report_config.ts";
import {
  CLEAN,
  type LocalizeRecord,
  type RowAttack,
  type Sample,
  summarize,
  type SummaryRow,
} from "./_localize_summary.ts";

export type { LocalizeRecord } from "./_localize_summary.ts";

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

/** What a cell returns: the records, and the overlay samples (frames with their attention maps). */
export interface LocalizeCellResult {
  records: LocalizeRecord[];
  overlays: OverlaySample[];
}

interface Attacked extends RowAttack {
  run: (
    batch: AvBatch,
    regions: { boxes: Box[]; opposite: Box[] },
  ) => Promise<{ audio: tf.Tensor2D; visual: tf.Tensor4D; predictions: number[] }>;
}

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
    for (const direction of plan.mapAttack.directions) {
      for (const keepClass of plan.mapAttack.keepClass) {
        out.push({
          label: `map-${direction}${keepClass ? "+class" : ""}`,
          attack: "pgd",
          budget,
          run: (batch, regions) =>
            mapAttack(model, batch, {
              budget,
              regions: direction === "out" ? regions.boxes : regions.opposite,
              direction,
              keepClass,
              steps: plan.mapAttack.steps,
            }),
        });
      }
    }
  }
  return out;
}

/**
 * Per sample, the region the map attacks move mass out of (the box, or without one the half-side square
 * around the clean attention peak) and the targeted attacks' wrong region: the frame quadrant opposite
 * that region's centre.
 */
async function regionsOf(model: AvModel, batch: AvBatch, boxes: (Box | undefined)[]) {
  const maps = localizationMaps(model, batch, "attention");
  const [, h, w] = maps.shape;
  const peak = tf.tidy(() => tf.argMax(tf.reshape(maps, [maps.shape[0], h * w]), 1));
  const peaks = Array.from(await peak.data());
  tf.dispose([maps, peak]);
  const own = boxes.map((box, i): Box => {
    if (box) return box;
    const at = peaks[i] ?? 0;
    const [x, y] = [((at % w) + 0.5) / w, (Math.floor(at / w) + 0.5) / h];
    return [x - 0.25, y - 0.25, x + 0.25, y + 0.25];
  });
  const opposite = own.map(([x0, y0, x1, y1]): Box => {
    const [x, y] = [(x0 + x1) / 2 < 0.5 ? 0.5 : 0, (y0 + y1) / 2 < 0.5 ? 0.5 : 0];
    return [x, y, x + 0.5, y + 0.5];
  });
  return { boxes: own, opposite };
}

/** Per localizer, each sample's map values (row-major) and grid. */
type SampleMaps = Map<LocalizerName, { values: Float32Array; h: number; w: number }[]>;

async function mapsOf(
  model: AvModel,
  inputs: { audio: tf.Tensor2D; visual: tf.Tensor4D },
  names: readonly LocalizerName[],
): Promise<SampleMaps> {
  const out: SampleMaps = new Map();
  for (const [name, map] of localizationMapSet(model, inputs, names)) {
    const [batch, h, w] = map.shape;
    const values = new Float32Array(await map.data());
    map.dispose();
    out.set(
      name,
      Array.from({ length: batch }, (_, i) => ({ values: values.slice(i * h * w, (i + 1) * h * w), h, w })),
    );
  }
  return out;
}

/** The overlay samples being collected: the first `count` boxed samples (any samples without boxes). */
class OverlayCollector {
  readonly #picked: { sample: AvSample; maps: number[][]; captions: string[]; mapShape: [number, number] }[] =
    [];
  readonly #at = new Map<number, number>();
  constructor(readonly plan: LocalizePlan["overlays"], readonly classes: readonly string[]) {}

  /** Picks samples of the batch (global indices `indices`); call once per batch, before `add`. */
  pick(indices: number[], samples: AvSample[], anyBoxes: boolean): void {
    samples.forEach((sample, i) => {
      if (this.#picked.length >= this.plan.samples || (anyBoxes && !sample.box)) return;
      this.#at.set(indices[i] as number, this.#picked.length);
      this.#picked.push({ sample, maps: [], captions: [], mapShape: [0, 0] });
    });
  }

  /** Adds the attention maps of one panel (`title`: clean or a setting) for the picked samples. */
  add(
    title: string,
    indices: number[],
    maps: { values: Float32Array; h: number; w: number }[],
    predictions: number[],
  ) {
    indices.forEach((index, i) => {
      const slot = this.#picked[this.#at.get(index) ?? -1];
      const map = maps[i];
      if (!slot || !map) return;
      slot.maps.push(Array.from(map.values));
      slot.mapShape = [map.h, map.w];
      slot.captions.push(`${title} → ${this.classes[predictions[i] ?? -1] ?? "?"}`);
    });
  }

  result(frameShape: [number, number]): OverlaySample[] {
    return this.#picked.map(({ sample, maps, captions, mapShape }) => ({
      caption: `${sample.id} (${this.classes[sample.label] ?? sample.label}): ${captions.join(", ")}`,
      frame: Array.from(sample.visual),
      frameShape,
      ...(sample.box ? { box: sample.box } : {}),
      maps,
      mapShape,
    }));
  }
}

/**
 * Runs one localize cell.
 *
 * @param model The trained attention localizer (not disposed).
 * @param dataset Its dataset (the test split is read).
 * @param options Dataset name, plan, the paper's settings, seed.
 * @returns One record per (localizer, attack, setting), clean first, and the overlay samples.
 *
 * @example Inside the localize stage
 * ```ts ignore
 * const { records, overlays } = await localizeCell(model, dataset, { name, plan, settings, seed });
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
  const rows = new Map<string, SummaryRow>();
  const names = plan.localizers;
  const overlays = new OverlayCollector(plan.overlays, dataset.classes);
  let anyBoxes: boolean | undefined;
  for (let start = 0; start < n; start += plan.batchSize) {
    const indices = Array.from({ length: Math.min(plan.batchSize, n - start) }, (_, i) => start + i);
    const samples = await Promise.all(indices.map((i) => dataset.splits.test.sample(i)));
    const boxes = samples.map((s) => s.box);
    anyBoxes ??= boxes.some((box) => box !== undefined);
    overlays.pick(indices, samples, anyBoxes);
    const batch = await loadBatch(dataset.splits.test, indices, dataset);
    try {
      const labels = Array.from(await batch.labels.data());
      const output = model.apply(batch.audio, batch.visual);
      const predicted = tf.argMax(output.logits, 1);
      const cleanPredictions = Array.from(await predicted.data());
      predicted.dispose();
      disposeOutput(output);
      const regions = await regionsOf(model, batch, boxes);
      const clean = await mapsOf(model, batch, names);
      // A prior does not look at the inputs: its map under attack is its clean map.
      const looking = names.filter((name) => LOCALIZERS[name].kind === "model");
      const measure = async (attack: Attacked | null, inputs: typeof batch, predictions: number[]) => {
        const attacked = attack ? await mapsOf(model, inputs, looking) : clean;
        for (const localizer of names) {
          const key = `${attack?.label ?? "none"}|${budgetKind(attack?.budget ?? CLEAN)}|${localizer}`;
          const row = rows.get(key) ?? { dataset: name, attack, localizer, per: [] };
          rows.set(key, row);
          const before = clean.get(localizer) ?? [];
          const after = attacked.get(localizer) ?? before;
          if (localizer === "attention" && (!attack || attack.label === plan.overlays.attack)) {
            overlays.add(attack ? budgetKind(attack.budget) : "clean", indices, after, predictions);
          }
          after.forEach((map, i) => {
            const base = before[i] ?? map;
            row.per.push(measureSample(base.values, map.values, [map.h, map.w], frame, {
              correct: predictions[i] === labels[i],
              box: boxes[i],
            }));
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
  const records = [...rows.values()].map((row) => summarize(row, { seed, resamples: plan.resamples }));
  return { records, overlays: overlays.result(frame) };
}

/** The measures of one sample's map against its clean map and box. */
function measureSample(
  clean: Float32Array,
  map: Float32Array,
  shape: [number, number],
  frame: [number, number],
  sample: { correct: boolean; box: Box | undefined },
): Sample {
  const { correct, box } = sample;
  return {
    correct,
    shift: peakDisplacement(clean, map, shape, frame),
    rho: rankCorrelation(clean, map),
    ...(box
      ? {
        box: {
          ciou: ciou(map, shape, box, { frameShape: frame }),
          oracle: ciou(map, shape, box, { frameShape: frame, mask: "oracleArea" }),
          hit: pointingGame(map, shape, box),
          mass: massInBox(map, shape, box, frame),
          area: boxAreaFraction(box, frame),
        },
      }
      : {}),
  };
}
