import assert from "node:assert/strict";
import {
  budgetGrid,
  budgetKind,
  budgetLabel,
  DEFENSE_BUDGETS,
  PAPER_BUDGETS,
  visualPixelEpsilon,
} from "../../lib/attacks/budgets.ts";

Deno.test("PAPER_BUDGETS holds the paper's four (eps_v, eps_a) settings in normalised visual units", () => {
  const pairs = Object.values(PAPER_BUDGETS).map((b) => [b.visual, b.audio]);
  assert.deepEqual(pairs, [[0, 0], [0, 0.012], [0.012, 0], [0.006, 0.006]]);
  assert.ok(Object.values(PAPER_BUDGETS).every((b) => b.norm === "linf" && b.visualUnits === "normalized"));
  assert.deepEqual(Object.values(DEFENSE_BUDGETS).map((b) => [b.visual, b.audio]), [[0, 0], [0, 0.006], [
    0.006,
    0,
  ], [0.006, 0.006]]);
});

Deno.test("visualPixelEpsilon() converts normalised budgets to per-channel pixel budgets", () => {
  const pixel = visualPixelEpsilon(PAPER_BUDGETS.visualOnly, { std: [0.229, 0.224, 0.225] }, 3);
  assert.deepEqual(pixel.map((p) => p.toFixed(6)), ["0.002748", "0.002688", "0.002700"]);
  assert.ok(Math.abs((pixel[0] ?? 0) * 255 - 0.70) < 0.01);
  assert.deepEqual(visualPixelEpsilon({ norm: "linf", audio: 0, visual: 0.01 }, { std: [0.2] }, 2), [
    0.01,
    0.01,
  ]);
  assert.throws(
    () => visualPixelEpsilon(PAPER_BUDGETS.joint, { std: [1, 1] }, 3),
    TypeError,
    "std must have 3 values",
  );
});

Deno.test("budgetGrid() builds the paper's 5 x 5 grid and its three curves", () => {
  const full = budgetGrid();
  assert.equal(full.length, 25);
  assert.deepEqual(full[6], { norm: "linf", audio: 0.001, visual: 0.001, visualUnits: "normalized" });
  const lines = budgetGrid({ values: [0, 0.002], layout: "lines" });
  assert.deepEqual(lines.map(budgetKind), ["clean", "audio", "visual", "joint"]);
  assert.throws(() => budgetGrid({ values: [-1] }), RangeError, "current value is -1");
  assert.equal(budgetLabel(PAPER_BUDGETS.audioOnly), "linf a=0.012 v=0 (normalized)");
});
