import assert from "node:assert/strict";
import { massInBox, peakDisplacement, rankCorrelation } from "../../lib/localize/map_shift.ts";

Deno.test("peakDisplacement() measures the peak's move in frame pixels", () => {
  const a = new Float32Array([1, 0, 0, 0]);
  const b = new Float32Array([0, 0, 0, 1]);
  assert.equal(peakDisplacement(a, b, [2, 2], [40, 40]), Math.hypot(20, 20));
  assert.equal(peakDisplacement(a, a, [2, 2], [40, 40]), 0);
});

Deno.test("massInBox() is the normalised map's share inside the box", () => {
  assert.equal(massInBox(new Float32Array([1, 0, 0, 0]), [2, 2], [0, 0, 0.5, 0.5]), 1);
  assert.equal(massInBox(new Float32Array([1, 1, 1, 1]), [2, 2], [0, 0, 0.5, 0.5]), 0.25);
});

Deno.test("rankCorrelation() is Spearman's rho with average ranks for ties", () => {
  assert.equal(rankCorrelation(new Float32Array([1, 1, 2]), new Float32Array([5, 5, 9])), 1);
  const rho = rankCorrelation(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 3, 2, 4]));
  assert.ok(Math.abs(rho - 0.8) < 1e-12);
  assert.ok(Number.isNaN(rankCorrelation(new Float32Array([1, 1]), new Float32Array([1, 2]))));
  assert.throws(() => rankCorrelation(new Float32Array(2), new Float32Array(3)), TypeError);
});
