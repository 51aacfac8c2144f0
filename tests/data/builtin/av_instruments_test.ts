import assert from "node:assert/strict";
import { AV_INSTRUMENTS, buildAvInstruments } from "../../../lib/data/builtin/av_instruments.ts";
import type { GeneratedSplit } from "../../../lib/data/builtin/_types.ts";
import { renderDuetFrame } from "../../../lib/data/builtin/_instruments_duet.ts";
import { loadIconSprites } from "../../../lib/data/builtin/_icons.ts";
import { createRng } from "../../../lib/engine/random.ts";

const smoke = buildAvInstruments({ size: "smoke", seed: 1 });
/** A larger sample for the style tests (500 train, 300 test). */
const styled = buildAvInstruments({ seed: 7, counts: { train: 500, val: 0, test: 300 } });

Deno.test("buildAvInstruments() makes balanced smoke splits of 40x40 RGB frames and 1 s waveforms in range", async () => {
  const data = await smoke;
  assert.equal(data.classes.length, 10);
  assert.deepEqual(data.imageShape, [40, 40, 3]);
  assert.equal(data.audioLength, 11025);
  for (const split of ["train", "val", "test"] as const) {
    const { audio, visual, labels } = data.splits[split];
    const n = AV_INSTRUMENTS.sizes.smoke[split];
    assert.equal(audio.length, n * 11025);
    assert.equal(visual.length, n * 40 * 40 * 3);
    assert.ok(audio.every((v) => v >= -1 && v <= 1), `${split} audio outside [-1, 1] or NaN`);
    assert.ok(visual.every((v) => v >= 0 && v <= 1), `${split} frames outside [0, 1] or NaN`);
    const perClass = new Array(10).fill(0);
    for (const label of labels) perClass[label]++;
    assert.ok(Math.max(...perClass) - Math.min(...perClass) <= 1, `unbalanced labels ${perClass}`);
    for (let i = 0; i < n; i++) {
      let energy = 0;
      for (let k = 0; k < 11025; k++) energy += (audio[i * 11025 + k] as number) ** 2;
      assert.ok(energy > 1, `clip ${split}/${i} is silent`);
    }
  }
});

Deno.test("buildAvInstruments() records the box of the sounding instrument exactly when it is drawn", async () => {
  const { boxes, conditions } = (await smoke).splits.train;
  assert.ok(boxes);
  for (let i = 0; i < conditions.visualMode.length; i++) {
    const box: number[] = Array.from(boxes.subarray(i * 4, i * 4 + 4));
    const visible = (conditions.visualMode[i] as number) <= 1;
    if (!visible) {
      assert.deepEqual(box, [-1, -1, -1, -1], `sample ${i} has a box without its instrument`);
      continue;
    }
    const [x0 = -1, y0 = -1, x1 = -1, y1 = -1] = box;
    assert.ok(0 <= x0 && x0 < x1 && x1 <= 1 && 0 <= y0 && y0 < y1 && y1 <= 1, `sample ${i} box ${box}`);
  }
});

Deno.test("buildAvInstruments() draws every class in every art style, independently of the class", async () => {
  const { labels, conditions } = (await styled).splits.train;
  const styles = AV_INSTRUMENTS.styles.length;
  const table = Array.from({ length: 10 }, () => new Array(styles).fill(0));
  labels.forEach((label, i) => table[label]![conditions.style![i]!]++);
  const n = labels.length, rowTotal = n / 10;
  const colTotals = Array.from({ length: styles }, (_, s) => table.reduce((sum, row) => sum + row[s], 0));
  let chiSquare = 0;
  table.forEach((row) =>
    row.forEach((
      count,
      s,
    ) => (chiSquare += (count - (rowTotal * colTotals[s]!) / n) ** 2 / ((rowTotal * colTotals[s]!) / n)))
  );
  assert.ok(
    table.every((row) => row.every((count) => count > 0)),
    `a class misses a style: ${JSON.stringify(table)}`,
  );
  // 36 degrees of freedom: mean 36, sd 8.5; 80 is beyond the 99.9th percentile.
  assert.ok(chiSquare < 80, `style depends on class, chi-square ${chiSquare.toFixed(1)}`);
});

/** Colour features of a frame: colour histogram (4x4x4 RGB bins) plus mean and spread of saturation. */
function colourFeatures(visual: Float32Array, index: number): number[] {
  const pixels = 1600, features = new Array(66).fill(0);
  let sat = 0, sat2 = 0;
  for (let p = 0; p < pixels; p++) {
    const at = (index * pixels + p) * 3;
    const r = visual[at]!, g = visual[at + 1]!, b = visual[at + 2]!;
    features[
      Math.min(3, Math.floor(r * 4)) * 16 + Math.min(3, Math.floor(g * 4)) * 4 +
      Math.min(3, Math.floor(b * 4))
    ] += 1 / pixels;
    const max = Math.max(r, g, b), s = max > 0 ? (max - Math.min(r, g, b)) / max : 0;
    sat += s, sat2 += s * s;
  }
  sat /= pixels;
  features[64] = sat, features[65] = Math.sqrt(Math.max(0, sat2 / pixels - sat * sat));
  return features;
}

/** Accuracy of a nearest-centroid classifier on standardised colour features. */
function nearestCentroid(
  train: GeneratedSplit,
  test: GeneratedSplit,
  target: (split: GeneratedSplit, i: number) => number | undefined,
  classes: number,
): number {
  const rows = Array.from({ length: train.labels.length }, (_, i) => colourFeatures(train.visual, i));
  const dims = 66, mean = new Array(dims).fill(0), spread = new Array(dims).fill(0);
  rows.forEach((row) => row.forEach((v, d) => (mean[d] += v / rows.length)));
  rows.forEach((row) => row.forEach((v, d) => (spread[d] += (v - mean[d]) ** 2 / rows.length)));
  const z = (row: number[]) => row.map((v, d) => (v - mean[d]) / Math.sqrt(spread[d] + 1e-9));
  const centroids = Array.from({ length: classes }, () => new Array(dims).fill(0)),
    counts = new Array(classes).fill(0);
  rows.forEach((row, i) => {
    const y = target(train, i);
    if (y === undefined) return;
    counts[y]++;
    z(row).forEach((v, d) => (centroids[y]![d] += v));
  });
  centroids.forEach((c, k) => c.forEach((_, d) => (c[d] /= Math.max(1, counts[k]))));
  let right = 0, total = 0;
  for (let i = 0; i < test.labels.length; i++) {
    const y = target(test, i);
    if (y === undefined) continue;
    const q = z(colourFeatures(test.visual, i));
    const distances = centroids.map((c) => c.reduce((sum, v, d) => sum + (v - q[d]!) ** 2, 0));
    right += distances.indexOf(Math.min(...distances)) === y ? 1 : 0;
    total++;
  }
  return right / total;
}

Deno.test("buildAvInstruments(): a classifier on the art style alone is at chance", async () => {
  const { train, test } = (await styled).splits;
  const styles = AV_INSTRUMENTS.styles.length;
  // The best any classifier can do from the style alone: the most frequent class of each style in train.
  const counts = Array.from({ length: styles }, () => new Array(10).fill(0));
  train.labels.forEach((label, i) => counts[train.conditions.style![i]!]![label]++);
  const guess = counts.map((row) => row.indexOf(Math.max(...row)));
  let right = 0;
  test.labels.forEach((label, i) => (right += guess[test.conditions.style![i]!] === label ? 1 : 0));
  const accuracy = right / test.labels.length;
  // Chance is 0.10; with 300 test frames one standard error is 0.017.
  assert.ok(
    accuracy > 0.03 && accuracy < 0.17,
    `style-only classifier accuracy ${accuracy} is not at chance`,
  );
});

Deno.test("buildAvInstruments(): colour is a hint about the class, never the answer", async () => {
  const { train, test } = (await styled).splits;
  // The main instrument keeps its own colours 80 % of the time (brass is yellow); clutter, distractors and
  // the rest are recoloured at random, so colour statistics alone stay far from solving the task.
  const accuracy = nearestCentroid(train, test, (split, i) => split.labels[i], 10);
  assert.ok(accuracy < 0.3, `a colour-histogram classifier reaches ${accuracy}: colour gives the class away`);
});

Deno.test("the colour-histogram classifier would catch a small class-dependent tint (its power)", async () => {
  const { train, test } = (await styled).splits;
  // A leak of the kind the test guards against: classes 0-4 drawn slightly warmer than classes 5-9.
  const tinted = (split: GeneratedSplit): GeneratedSplit => {
    const visual = split.visual.slice();
    for (let i = 0; i < split.labels.length; i++) {
      const shift = split.labels[i]! < 5 ? 0.06 : -0.06;
      for (let p = 0; p < 1600; p++) {
        const at = (i * 1600 + p) * 3;
        visual[at] = Math.min(1, Math.max(0, visual[at]! + shift));
        visual[at + 2] = Math.min(1, Math.max(0, visual[at + 2]! - shift));
      }
    }
    return { ...split, visual };
  };
  const accuracy = nearestCentroid(
    tinted(train),
    tinted(test),
    (split, i) => split.labels[i]! < 5 ? 0 : 1,
    2,
  );
  assert.ok(accuracy > 0.7, `the classifier missed a tint leak: accuracy ${accuracy} (chance 0.5)`);
});

const duet = buildAvInstruments({ size: "smoke", seed: 1, scene: "duet" });

/** Which half of the frame a box lies in (1 px of slack for a tilted sprite), or undefined if none. */
function halfOf([x0, y0, x1, y1]: number[]): "left" | "right" | "top" | "bottom" | undefined {
  const slack = 1 / 40;
  if (x1! <= 0.5 + slack && y1! - y0! >= 0.7) return "left";
  if (x0! >= 0.5 - slack && y1! - y0! >= 0.7) return "right";
  if (y1! <= 0.5 + slack && x1! - x0! >= 0.7) return "top";
  if (y0! >= 0.5 - slack && x1! - x0! >= 0.7) return "bottom";
  return undefined;
}

const area = ([x0, y0, x1, y1]: number[]) => (x1! - x0!) * (y1! - y0!);

Deno.test("buildAvInstruments({ scene: 'duet' }): the sounding instrument fills one half, its box over 25 % of the frame", async () => {
  const { boxes, conditions } = (await duet).splits.train;
  assert.ok(boxes);
  const halves = new Map<string, number>();
  for (let i = 0; i < conditions.visualMode.length; i++) {
    const box: number[] = Array.from(boxes.subarray(i * 4, i * 4 + 4));
    // A box exactly when the instrument is drawn (visual clean or hard) and heard (audio clean or hard).
    if ((conditions.visualMode[i] as number) > 1 || (conditions.audioMode[i] as number) > 1) {
      assert.deepEqual(box, [-1, -1, -1, -1], `sample ${i} has a box without a sounding instrument`);
      continue;
    }
    const half = halfOf(box);
    assert.ok(half, `sample ${i}: box ${box} does not fill one half`);
    assert.ok(area(box) > 0.25, `sample ${i}: box ${box} covers ${area(box)} of the frame`);
    halves.set(half, (halves.get(half) ?? 0) + 1);
  }
  // About 90 boxed frames: each half holds the sounding instrument about a quarter of the time.
  assert.equal(halves.size, 4);
  assert.ok([...halves.values()].every((n) => n >= 10), `halves ${JSON.stringify([...halves])}`);
});

Deno.test("buildAvInstruments({ scene: 'duet' }): every clip clean by default, both instruments in one style", async () => {
  const { conditions, boxes, labels } = (await duet).splits.test;
  assert.ok(boxes && conditions.style);
  assert.ok(conditions.visualMode.every((m) => m === 0) && conditions.audioMode.every((m) => m === 0));
  assert.ok(conditions.style.every((s) => s === 0), "the noto style only");
  for (let i = 0; i < labels.length; i++) {
    assert.ok(boxes[i * 4]! >= 0, `sample ${i} has its sounding instrument's box`);
  }
});

Deno.test("renderDuetFrame() draws the silent instrument of another class in the other half", async () => {
  const sprites = await loadIconSprites(AV_INSTRUMENTS.icons, 64);
  const opposite = { left: "right", right: "left", top: "bottom", bottom: "top" };
  const config = AV_INSTRUMENTS.degradation.visual;
  for (let seed = 0; seed < 40; seed++) {
    const mode = (["clean", "hard"] as const)[seed % 2]!;
    const { frame, box, silent } = renderDuetFrame(seed % 10, mode, sprites, 40, config, createRng(seed));
    assert.ok(box && silent, `seed ${seed}: both instruments are drawn`);
    assert.equal(
      halfOf(Array.from(silent)),
      opposite[halfOf(Array.from(box))!],
      `seed ${seed}: ${box} ${silent}`,
    );
    assert.ok(area(Array.from(silent)) > 0.25);
    assert.ok(frame.every((v) => v >= 0 && v <= 1));
  }
  const misleading = renderDuetFrame(3, "misleading", sprites, 40, config, createRng(1));
  assert.deepEqual([misleading.box, misleading.silent !== undefined], [undefined, true]);
  const absent = renderDuetFrame(3, "absent", sprites, 40, config, createRng(1));
  assert.deepEqual([absent.box, absent.silent], [undefined, undefined]);
});

Deno.test("buildAvInstruments({ scene: 'duet' }) is deterministic for a seed and differs from the solo frames", async () => {
  const degradation = AV_INSTRUMENTS.duetDegradation;
  const [first, again, solo] = [
    await duet,
    await buildAvInstruments({ size: "smoke", seed: 1, scene: "duet" }),
    await buildAvInstruments({ size: "smoke", seed: 1, degradation }),
  ];
  // Element-wise checks (a failing deepEqual on long arrays would print every element).
  const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    a.length === b.length && Array.from(a).every((v, i) => v === b[i]);
  assert.ok(same(again.splits.test.visual, first.splits.test.visual), "the same frames for the same seed");
  assert.ok(same(again.splits.test.boxes ?? [], first.splits.test.boxes ?? []), "the same boxes");
  // The scene changes the frames only: with the same degradation, labels and sounds are the solo set's.
  assert.ok(same(first.splits.test.labels, solo.splits.test.labels), "the same labels");
  assert.ok(same(first.splits.test.audio, solo.splits.test.audio), "the same sounds");
  assert.ok(!same(first.splits.test.visual, solo.splits.test.visual), "other frames");
});
