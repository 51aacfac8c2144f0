import assert from "node:assert/strict";
import type { Box } from "../../lib/data/mod.ts";
import {
  ap50,
  boxAreaFraction,
  ciou,
  frameMap,
  localizationAuc,
  pointingGame,
} from "../../lib/localize/metrics.ts";

/** A `[h, w]` map from rows. */
function grid(rows: number[][]): Float32Array {
  return new Float32Array(rows.flat());
}

Deno.test("ciou() binarises at the sorted value of index floor(n/2) and keeps ties (m >= threshold)", async (t) => {
  await t.step("a left-half map on a left-half box is exact", () => {
    assert.equal(ciou(grid([[1, 0], [1, 0]]), [2, 2], [0, 0, 0.5, 1]), 1);
  });
  await t.step("ties at the threshold are kept: 3 of 4 cells predicted", () => {
    // sorted [0, 1, 1, 2], threshold = sorted[2] = 1 → cells 1, 1, 2 kept; box = top row.
    const map = grid([[2, 1], [1, 0]]);
    // I = {0, 1, 2}; G = {0, 1}: overlap 2, outside 1 → 2 / (2 + 1).
    assert.equal(ciou(map, [2, 2], [0, 0, 1, 0.5]), 2 / 3);
  });
  await t.step("a constant map predicts the whole frame: cIoU = box area", () => {
    assert.equal(ciou(grid([[3, 3], [3, 3]]), [2, 2], [0, 0, 0.5, 0.5], { frameShape: [40, 40] }), 0.25);
  });
  await t.step("an empty box scores 0", () => {
    assert.equal(ciou(grid([[1, 0], [0, 0]]), [2, 2], [0.3, 0.3, 0.3, 0.8]), 0);
  });
  await t.step("a full-frame box scores the predicted share", () => {
    // 4x4 map at frame resolution, values 0..15: threshold sorted[8] = 8 → 8 of 16 cells.
    const map = new Float32Array(Array.from({ length: 16 }, (_, i) => i));
    assert.equal(ciou(map, [4, 4], [0, 0, 1, 1]), 0.5);
  });
  await t.step("a box touching the edge (and beyond it) is clamped to the frame", () => {
    const map = grid([[0, 1], [0, 1]]);
    assert.equal(ciou(map, [2, 2], [0.5, -0.2, 1.3, 1]), 1);
  });
});

Deno.test("ciou() upsamples bilinearly with half-pixel centres before thresholding", () => {
  // A 2x2 map with its peak top-left, on a 4x4 frame: the interpolated top-left 2x2 block is highest.
  const map = grid([[1, 0], [0, 0]]);
  const up = frameMap(map, [2, 2], [4, 4]);
  assert.deepEqual(Array.from(up.slice(0, 4)), [1, 0.75, 0.25, 0]);
  // Values >= sorted[8] = 0.1875 (8 cells: 1, .75, .75, .5625, .25, .25, .1875, .1875).
  const value = ciou(map, [2, 2], [0, 0, 0.5, 0.5], { frameShape: [4, 4] });
  assert.equal(value, 4 / 8);
  // The same map at frame resolution is used as is.
  assert.equal(ciou(up, [4, 4], [0, 0, 0.5, 0.5]), value);
});

Deno.test("ciou() oracleArea predicts as many pixels as the box has", () => {
  const map = new Float32Array(Array.from({ length: 16 }, (_, i) => 16 - i));
  // The 4 highest cells are the top row; box = top row → exact.
  assert.equal(ciou(map, [4, 4], [0, 0, 1, 0.25], { mask: "oracleArea" }), 1);
  // Median rule on the same: 8 cells predicted → 4 / 8.
  assert.equal(ciou(map, [4, 4], [0, 0, 1, 0.25]), 0.5);
  assert.equal(ciou(map, [4, 4], [0, 0, 0, 0], { mask: "oracleArea" }), 0);
});

Deno.test("ciou() refuses a map of the wrong length and a malformed box", () => {
  assert.throws(() => ciou(new Float32Array(3), [2, 2], [0, 0, 1, 1]), TypeError);
  assert.throws(() => ciou(new Float32Array(4), [2, 0], [0, 0, 1, 1]), RangeError);
  const bad: Box = [0, 0, NaN, 1];
  assert.throws(() => ciou(new Float32Array(4), [2, 2], bad), /box must be/);
});

Deno.test("pointingGame() hits when the first maximum's cell centre is inside the box", () => {
  const map = grid([[0, 2], [2, 0]]);
  assert.equal(pointingGame(map, [2, 2], [0.5, 0, 1, 0.5]), true);
  assert.equal(pointingGame(map, [2, 2], [0, 0.5, 0.5, 1]), false, "the first maximum wins ties");
  assert.equal(pointingGame(grid([[1, 1], [1, 1]]), [2, 2], [0, 0, 1, 1]), true, "full-frame box");
  assert.equal(pointingGame(map, [2, 2], [0.5, 0.5, 0.5, 0.5]), false, "empty box");
});

Deno.test("localizationAuc() equals the discretised mean cIoU", () => {
  // Each sample adds 0.05·K − 0.025 (K = thresholds t ≤ c), capped at 1 (c = 1 reaches all 21).
  const cious = [0, 0.12, 0.5, 0.73, 0.999, 1];
  const discretised = cious.map((c) => {
    const k = Array.from({ length: 21 }, (_, i) => 0.05 * i).filter((t) => c >= t).length;
    return Math.min(1, 0.05 * k - 0.025);
  });
  const mean = discretised.reduce((a, b) => a + b, 0) / cious.length;
  assert.ok(Math.abs(localizationAuc(cious) - mean) < 1e-12);
  assert.ok(Math.abs(localizationAuc([0, 0]) - 0.025) < 1e-12, "the floor");
  assert.ok(Number.isNaN(localizationAuc([])));
});

Deno.test("ap50() and boxAreaFraction() count shares", () => {
  assert.equal(ap50([0.49, 0.5, 1]), 2 / 3);
  assert.equal(boxAreaFraction([0, 0, 1, 1], [40, 40]), 1);
  assert.equal(boxAreaFraction([0.1, 0.1, 0.1, 0.9], [40, 40]), 0);
});
