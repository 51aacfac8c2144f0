import assert from "node:assert/strict";
import { frameImage } from "../../../lib/report/examples/frame_image.ts";

Deno.test("frameImage() scales a frame up by whole factors to the minimum size", async (t) => {
  const rows: [[number, number, number], number, [number, number]][] = [
    [[28, 28, 1], 140, [140, 140]],
    [[40, 40, 3], 140, [160, 160]],
    [[224, 224, 3], 140, [224, 224]],
    [[2, 3, 1], 5, [9, 6]],
  ];
  for (const [shape, minSize, [width, height]] of rows) {
    await t.step(`${shape.join("x")} to at least ${minSize}`, () => {
      const image = frameImage(new Float32Array(shape[0] * shape[1] * shape[2]), shape, { minSize });
      assert.deepEqual([image.width, image.height, image.data.length], [width, height, width * height * 3]);
    });
  }
});

Deno.test("frameImage() repeats each pixel, turns grey into RGB and clips to [0, 1]", () => {
  const grey = frameImage([0.25, 2, -1, 0.75], [2, 2, 1], { minSize: 4 });
  const at = (x: number, y: number) => Array.from(grey.data.subarray((y * 4 + x) * 3, (y * 4 + x) * 3 + 3));
  assert.deepEqual(at(1, 1), [0.25, 0.25, 0.25]);
  assert.deepEqual(at(3, 0), [1, 1, 1]);
  assert.deepEqual(at(0, 3), [0, 0, 0]);
  const rgb = frameImage([0.1, 0.2, 0.3], [1, 1, 3], { minSize: 1 });
  assert.deepEqual(Array.from(rgb.data), [0.1, 0.2, 0.3].map((v) => Math.fround(v)));
});

Deno.test("frameImage() rejects a frame that does not match its shape", () => {
  assert.throws(
    () => frameImage(new Float32Array(5), [2, 2, 1]),
    (e: Error) => e instanceof TypeError && /current value count is 5/.test(e.message),
  );
  assert.throws(() => frameImage(new Float32Array(8), [2, 2, 2]), TypeError);
});
