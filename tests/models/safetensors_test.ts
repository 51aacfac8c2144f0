import assert from "node:assert/strict";
import { DataFormatError } from "../../lib/data/mod.ts";
import { readSafetensors } from "../../lib/models/safetensors.ts";
import { safetensorsBytes } from "./_safetensors_writer.ts";

const TWO = {
  w: { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
  b: { shape: [1], data: Float32Array.of(-1) },
};

Deno.test("readSafetensors() reads every F32 tensor with its shape, skipping the metadata", () => {
  const tensors = readSafetensors(safetensorsBytes(TWO), "two.safetensors");
  assert.deepEqual([...tensors.keys()], ["w", "b"]);
  assert.deepEqual(tensors.get("w")?.shape, [2, 3]);
  assert.deepEqual(Array.from(tensors.get("w")?.data ?? []), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(tensors.get("b")?.data ?? []), [-1]);
});

Deno.test("readSafetensors() names the file and the problem: truncated, not JSON, dtype, size", () => {
  const bytes = safetensorsBytes(TWO);
  const expect = (input: Uint8Array, pattern: RegExp) =>
    assert.throws(
      () => readSafetensors(input, "w.safetensors"),
      (error: unknown) =>
        error instanceof DataFormatError && pattern.test(error.message) && error.path === "w.safetensors",
    );
  expect(bytes.subarray(0, 4), /fewer than the 8 of the header length/);
  expect(bytes.subarray(0, 20), /does not fit the file.*truncated/);
  expect(bytes.subarray(0, bytes.length - 4), /ends at byte \d+, past the file.*truncated/);
  const garbled = bytes.slice();
  garbled[8] = 0x7b + 1; // the header's "{" becomes "|"
  expect(garbled, /the header is not JSON/);
  expect(
    safetensorsBytes({ h: { shape: [1], data: Float32Array.of(0), dtype: "F16" } }),
    /dtype "F16"; only F32/,
  );
  const header = new TextEncoder().encode(
    JSON.stringify({ x: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }),
  );
  const wrong = new Uint8Array(8 + header.length + 8);
  new DataView(wrong.buffer).setBigUint64(0, BigInt(header.length), true);
  wrong.set(header, 8);
  expect(wrong, /shape \[3\] needs 12 bytes, its offsets span 8/);
});
