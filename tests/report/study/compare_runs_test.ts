import assert from "node:assert/strict";
import { compareRuns, compareRunsMarkdown, type ResultSet } from "../../../lib/report/study/mod.ts";
import type { DefenseRecord, LocalizeRecord } from "../../../lib/report/study/mod.ts";
import type { AttackSetting, ReportRecord } from "../../../lib/report/types.ts";
import { markdownToText } from "../../../lib/report/page/plain_text.ts";

function cell(
  model: string,
  setting: AttackSetting,
  correct: number,
  more: Partial<ReportRecord> = {},
): ReportRecord {
  const eps = setting === "clean" ? 0 : 0.01;
  return {
    dataset: "av-digits",
    model,
    kind: "av",
    fusion: model.slice(3),
    attack: setting === "clean" ? "none" : "pgd",
    attackOptions: {},
    study: "table",
    setting,
    norm: "linf",
    epsAudio: setting === "visual" ? 0 : eps,
    epsVisual: setting === "audio" ? 0 : eps,
    visualUnits: "normalized",
    correct,
    total: 500,
    accuracy: correct / 500,
    seed: 0,
    ...more,
  };
}

const A: ResultSet = {
  records: [cell("av-sum", "clean", 450), cell("av-sum", "joint", 300), cell("av-concat", "joint", 280)],
};

Deno.test("compareRuns() finds nothing beyond noise between identical result sets", () => {
  const result = compareRuns(A, structuredClone(A));
  assert.equal(result.cells.length, 3);
  assert.ok(result.cells.every((c) => !c.beyondNoise && c.difference === 0 && c.pValue === 1));
  assert.deepEqual([result.onlyA, result.onlyB], [[], []]);
});

Deno.test("compareRuns() calls a 30-point change on 500 samples beyond noise, and 2 points not", () => {
  const b: ResultSet = {
    records: [cell("av-sum", "clean", 440), cell("av-sum", "joint", 150), cell("av-concat", "joint", 280)],
  };
  const [clean, joint, concat] = compareRuns(A, b).cells;
  assert.equal(joint?.beyondNoise, true);
  assert.ok(Math.abs((joint?.difference ?? 0) + 0.3) < 1e-12);
  assert.ok((joint?.pValue ?? 1) < 1e-6);
  assert.equal(clean?.beyondNoise, false, "450 against 440 of 500 is noise");
  assert.ok((clean?.pValue ?? 0) > 0.3);
  assert.equal(concat?.beyondNoise, false);
});

Deno.test("compareRuns() lists cells only in A and only in B, ignoring the seed", () => {
  const b: ResultSet = {
    records: [
      cell("av-sum", "clean", 450, { seed: 7 }),
      cell("av-sum", "joint", 300, { seed: 7 }),
      cell("av-film", "joint", 200),
    ],
  };
  const result = compareRuns(A, b);
  assert.equal(result.cells.length, 2);
  assert.deepEqual(result.onlyA.map((c) => c.subject), ["av-concat"]);
  assert.deepEqual(result.onlyB.map((c) => c.subject), ["av-film"]);
  const text = markdownToText(compareRunsMarkdown(result, { a: "runs/a", b: "runs/b" }));
  assert.match(text, /0 of 2 matched cells differ beyond noise; 1 only in A, 1 only in B/);
  assert.match(text, /Only in A \(1\)\n\nstudy +dataset +model/);
  assert.match(text, /two-proportion z-test/);
});

Deno.test("compareRuns() pairs mim with mim(projection=asReleased) when the pairing is unique", () => {
  const mim = (options: Record<string, unknown>, correct: number) =>
    cell("av-sum", "joint", correct, { attack: "mim", attackOptions: options });
  const result = compareRuns({ records: [mim({}, 300)] }, {
    records: [mim({ projection: "asReleased" }, 120)],
  });
  assert.equal(result.cells.length, 1);
  assert.deepEqual([result.cells[0]?.attack, result.cells[0]?.attackB], [
    "mim",
    "mim(projection=asReleased)",
  ]);
  assert.equal(result.cells[0]?.beyondNoise, true);
  assert.match(
    markdownToText(compareRunsMarkdown(result, { a: "a", b: "b" })),
    /mim → mim\(projection=asReleased\)/,
  );
  // Two candidates on one side: no guess.
  const ambiguous = compareRuns({ records: [mim({}, 300)] }, {
    records: [mim({ projection: "asReleased" }, 120), mim({ steps: 20 }, 100)],
  });
  assert.deepEqual([ambiguous.cells.length, ambiguous.onlyA.length, ambiguous.onlyB.length], [0, 1, 2]);
});

Deno.test("compareRuns() compares localization rows once per classifier run, and defense rows", () => {
  const localize = (localizer: "attention" | "centerPrior", accuracy: number): LocalizeRecord => ({
    dataset: "av-instruments",
    localizer,
    attack: "fgsm",
    attackLabel: "fgsm",
    setting: "audio",
    epsAudio: 0.01,
    epsVisual: 0,
    samples: 200,
    boxed: 200,
    accuracy,
    peakShift: { value: 0, low: 0, high: 0 },
    rankCorrelation: { value: 1, low: 1, high: 1 },
  });
  const defense = (value: number): DefenseRecord => ({
    dataset: "av-digits",
    defense: "vanilla",
    variant: "vanilla",
    study: "table",
    ablation: null,
    setting: "joint",
    epsAudio: 0.006,
    epsVisual: 0.006,
    samples: 100,
    accuracy: { value, low: value, high: value },
    attacks: [],
    worst: null,
    flags: [],
  });
  const a = { records: [], localization: [localize("attention", 0.5), localize("centerPrior", 0.5)] };
  const b = { records: [], localization: [localize("attention", 0.2), localize("centerPrior", 0.2)] };
  const [row] = compareRuns(a, b).cells;
  assert.equal(compareRuns(a, b).cells.length, 1);
  assert.deepEqual([row?.study, row?.subject, row?.a.correct, row?.b.correct], [
    "localize",
    "localizer",
    100,
    40,
  ]);
  const split = compareRuns(a, {
    records: [],
    localization: [localize("attention", 0.2), localize("centerPrior", 0.5)],
  });
  // Maps that disagree are cells of their own.
  assert.deepEqual(split.onlyB.map((c) => c.subject), ["attention", "centerPrior"]);
  const defended = compareRuns({ records: [], defense: [defense(0.6)] }, {
    records: [],
    defense: [defense(0.3)],
  });
  assert.deepEqual(
    defended.cells.map((c) => [c.study, c.subject, c.attack, c.beyondNoise]),
    [["defense", "vanilla", "worst case", true]],
  );
});

Deno.test("compareRunsMarkdown() states ε_v with its pixel size for the model where the std is known", () => {
  const a: ResultSet = { records: [cell("av-sum", "joint", 300, { visualStd: [0.5], epsVisual: 0.012 })] };
  const b: ResultSet = { records: [cell("av-sum", "joint", 290, { epsVisual: 0.012 })] };
  const text = compareRunsMarkdown(compareRuns(a, b), { a: "a", b: "b" });
  assert.match(text, /\| 0\.012 \(1\.53\/255\) \|/);
  const unknown = compareRunsMarkdown(compareRuns(b, b), { a: "b", b: "b" });
  assert.match(unknown, /\| 0\.012 \|/);
});
