import assert from "node:assert/strict";
import { amplify } from "../../../lib/report/examples/amplify.ts";

Deno.test("amplify() normalises the peak magnitude and reports the factor", async (t) => {
  for (const peak of [0.5, 0.9, 1]) {
    await t.step(`peak ${peak}`, () => {
      const input = Float32Array.from({ length: 100 }, (_, i) => 0.012 * Math.sin(i / 7));
      const { values, factor, inputPeak } = amplify(input, { peak });
      const top = Math.max(...Array.from(values, Math.abs));
      assert.ok(Math.abs(top - peak) < 1e-6, `peak ${top}`);
      assert.ok(Math.abs(factor * inputPeak - peak) < 1e-9);
      values.forEach((v, i) => assert.ok(Math.abs(v - (input[i] as number) * factor) < 1e-6));
    });
  }
});

Deno.test("amplify() leaves a silent signal silent with factor 1 and does not touch its input", () => {
  const input = new Float32Array(8);
  const { values, factor } = amplify(input);
  assert.deepEqual([Array.from(values), factor], [Array.from(input), 1]);
  const loud = [0.1, -0.2];
  amplify(loud);
  assert.deepEqual(loud, [0.1, -0.2]);
});

Deno.test("amplify() rejects a bad peak and non-finite values", () => {
  assert.throws(
    () => amplify([1], { peak: 0 }),
    (e: Error) => e instanceof RangeError && /peak/.test(e.message),
  );
  assert.throws(
    () => amplify([0, NaN]),
    (e: Error) => e instanceof RangeError && /finite, current value at 1 is NaN/.test(e.message),
  );
});
