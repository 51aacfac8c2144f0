import assert from "node:assert/strict";
import { createRng } from "../../../lib/engine/random.ts";
import { DataFormatError } from "../../../lib/data/errors.ts";
import {
  audioWindow,
  audioWindowOrThrow,
  gainAndClip,
  pickFrame,
} from "../../../lib/data/loaders/_sampling.ts";

Deno.test("pickFrame() takes n // 2 at test time and [25, n - 24] at training time", () => {
  assert.equal(pickFrame(82, undefined), 41);
  assert.equal(pickFrame(1, undefined), 1);
  const rng = createRng(0);
  const frames = Array.from({ length: 2000 }, () => pickFrame(82, rng));
  assert.equal(Math.min(...frames), 25);
  assert.equal(Math.max(...frames), 58);
});

Deno.test("pickFrame() shrinks the margin for clips shorter than 49 frames", () => {
  const rng = createRng(1);
  for (const n of [1, 2, 10, 48, 49]) {
    const frames = Array.from({ length: 500 }, () => pickFrame(n, rng));
    assert.ok(frames.every((k) => k >= 1 && k <= n), `n = ${n}`);
  }
  assert.deepEqual(new Set(Array.from({ length: 200 }, () => pickFrame(10, rng))), new Set([5, 6]));
});

Deno.test("audioWindow() puts the centre sample at index length // 2", () => {
  const ramp = Float32Array.from({ length: 100 }, (_, i) => i);
  const window = audioWindow(ramp, 5, 10, 11);
  assert.deepEqual([...(window ?? [])], [45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55]);
});

Deno.test("audioWindowOrThrow() refuses a window that misses the audio entirely", () => {
  assert.throws(() => audioWindowOrThrow("a.wav", new Float32Array(100), 50, 10, 11), DataFormatError);
});

Deno.test("gainAndClip() scales by a gain in [0.5, 1.5) at training time and always clips to [-1, 1]", () => {
  const rng = createRng(2);
  for (let i = 0; i < 50; i++) {
    const gain = gainAndClip(new Float32Array([0.5]), rng)[0] as number / 0.5;
    assert.ok(gain >= 0.5 && gain < 1.5);
  }
  assert.deepEqual([...gainAndClip(new Float32Array([2, -3, 0.25]), undefined)], [1, -1, 0.25]);
});
