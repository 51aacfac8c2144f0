import assert from "node:assert/strict";
import { join } from "node:path";
import { createRng } from "../../../lib/engine/random.ts";
import { DataFormatError } from "../../../lib/data/errors.ts";
import {
  decodeImage,
  encodePng,
  prepareFrame,
  readImage,
  type RgbImage,
} from "../../../lib/data/media/image.ts";
import { ffmpegTest, tempDir, writeFrames } from "../_fixtures.ts";

function gradient(width: number, height: number): RgbImage {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set([x / (width - 1), y / (height - 1), 0.5], (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

ffmpegTest("readImage() decodes an ffmpeg JPEG to [0, 1] RGB of the right size", async () => {
  const dir = await tempDir();
  await writeFrames(dir, 1, 40, 30);
  const image = await readImage(join(dir, "000001.jpg"));
  assert.equal(image.width, 40);
  assert.equal(image.height, 30);
  assert.equal(image.data.length, 40 * 30 * 3);
  assert.ok(image.data.every((v) => v >= 0 && v <= 1));
  assert.ok(Math.max(...image.data) > 0.5, "the test pattern has bright pixels");
});

ffmpegTest("readImage() reports an unreadable or truncated JPEG with its name", async () => {
  const dir = await tempDir();
  await writeFrames(dir, 1);
  const bytes = await Deno.readFile(join(dir, "000001.jpg"));
  await Deno.writeFile(join(dir, "cut.jpg"), bytes.subarray(0, bytes.length >> 1));
  await Deno.writeFile(join(dir, "junk.jpg"), new TextEncoder().encode("not an image"));
  await assert.rejects(
    readImage(join(dir, "cut.jpg")),
    (e: unknown) =>
      e instanceof DataFormatError && /Cannot decode JPEG/.test(e.message) && e.path.endsWith("cut.jpg"),
  );
  await assert.rejects(readImage(join(dir, "junk.jpg")), /neither JPEG nor PNG: .*junk\.jpg/);
});

Deno.test("decodeImage() reads back a PNG written by encodePng()", () => {
  const image = gradient(5, 3);
  const decoded = decodeImage(encodePng(image), "g.png");
  assert.equal(decoded.width, 5);
  const error = Math.max(...decoded.data.map((v, i) => Math.abs(v - image.data[i]!)));
  assert.ok(error <= 0.5 / 255 + 1e-6);
});

Deno.test("prepareFrame() centre-crops the resized shorter side at test time", () => {
  const frame = prepareFrame(gradient(80, 40), { imageSize: 20 });
  assert.equal(frame.length, 20 * 20 * 3);
  // The 40x20 resize keeps the horizontal middle: red at the crop's centre is about 0.5.
  const centre = (10 * 20 + 10) * 3;
  assert.ok(Math.abs(frame[centre]! - 0.5) < 0.05, `red ${frame[centre]}`);
  assert.ok(frame.every((v) => v >= 0 && v <= 1));
});

Deno.test("prepareFrame() at training time is seeded: same rng, same crop; flips happen", () => {
  const image = gradient(64, 48);
  const a = prepareFrame(image, { imageSize: 32, augment: true, rng: createRng(3) });
  const b = prepareFrame(image, { imageSize: 32, augment: true, rng: createRng(3) });
  assert.deepEqual(a, b);
  const flipped = Array.from({ length: 20 }, (_, s) => {
    const f = prepareFrame(image, { imageSize: 32, augment: true, rng: createRng(s) });
    return f[0]! > f[31 * 3]!; // red decreases left to right only when flipped
  });
  assert.ok(flipped.includes(true) && flipped.includes(false));
});

Deno.test("prepareFrame() needs an rng to augment and a positive size", () => {
  assert.throws(() => prepareFrame(gradient(4, 4), { augment: true }), TypeError);
  assert.throws(() => prepareFrame(gradient(4, 4), { imageSize: 0 }), RangeError);
});

Deno.test("decodeImage() rejects a corrupt PNG with its name", () => {
  const png = encodePng(gradient(4, 4));
  assert.throws(
    () => decodeImage(png.subarray(0, 30), "bad.png"),
    (e: unknown) => e instanceof DataFormatError && e.path === "bad.png",
  );
});

Deno.test("readImage() names a missing frame", async () => {
  const dir = await tempDir();
  await assert.rejects(readImage(join(dir, "000007.jpg")), /Cannot read image: .*000007\.jpg/);
});
