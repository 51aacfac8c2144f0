import assert from "node:assert/strict";
import { assertFinite } from "../../lib/data/assert_finite.ts";
import { DataFormatError } from "../../lib/data/errors.ts";

Deno.test("assertFinite() passes finite values and counts NaN and ±Infinity, naming the file", () => {
  assertFinite(new Float32Array([0, -1, 1, 3.4e38]), "ok.wav");
  assertFinite([], "empty.wav");
  assert.throws(
    () => assertFinite([NaN, 0, Infinity, -Infinity, 1], "x.h5", { action: "read features" }),
    (e: unknown) =>
      e instanceof DataFormatError && e.path === "x.h5" &&
      e.message === "Cannot read features: 3 of 5 values are not finite (NaN or ±Infinity): x.h5",
  );
  assert.throws(() => assertFinite([NaN], "one.wav", { unit: "samples" }), /1 of 1 samples is not finite/);
});
