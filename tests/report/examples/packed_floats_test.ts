import assert from "node:assert/strict";
import { packFloats, unpackFloats } from "../../../lib/report/examples/packed_floats.ts";

Deno.test("packFloats() round-trips float32 values bit for bit, through JSON", () => {
  const values = new Float32Array([0, -0, 1.5, -1, 1e-40, 3.4e38, Math.PI, NaN, Infinity]);
  const packed = JSON.parse(JSON.stringify(packFloats(values)));
  const back = unpackFloats(packed);
  assert.deepEqual(new Uint8Array(back.buffer), new Uint8Array(values.buffer));
});

Deno.test("packFloats() takes 4 bytes per value, and plain number arrays", () => {
  assert.equal(atob(packFloats([1, 2, 3])).length, 12);
  assert.equal(packFloats([]), "");
  assert.deepEqual(Array.from(unpackFloats("")), []);
});

Deno.test("unpackFloats() rejects a byte count that is not a multiple of 4", () => {
  assert.throws(
    () => unpackFloats(btoa("abcde")),
    (error: Error) => error instanceof SyntaxError && /multiple of 4, current value is 5/.test(error.message),
  );
});
