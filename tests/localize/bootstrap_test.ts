import assert from "node:assert/strict";
import { bootstrapInterval } from "../../lib/localize/bootstrap.ts";

Deno.test("bootstrapInterval() is seeded and brackets the mean", () => {
  const values = Array.from({ length: 50 }, (_, i) => (i % 3) / 2);
  const a = bootstrapInterval(values, { seed: 3 });
  assert.deepEqual(bootstrapInterval(values, { seed: 3 }), a);
  assert.ok(a.low <= a.value && a.value <= a.high);
  assert.ok(a.high - a.low < 0.4);
  assert.throws(() => bootstrapInterval(values, { resamples: 0 }), RangeError);
  assert.throws(() => bootstrapInterval(values, { level: 1 }), RangeError);
});
