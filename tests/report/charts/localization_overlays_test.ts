import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { decodeImage } from "../../../lib/data/mod.ts";
import {
  overlayImage,
  overlayMarkdown,
  type OverlaySample,
} from "../../../lib/report/charts/localization_overlays.ts";

function sample(overrides: Partial<OverlaySample> = {}): OverlaySample {
  return {
    caption: "s0 (violin): clean → violin, joint → guitar",
    frame: new Array(4 * 4 * 3).fill(0.5),
    frameShape: [4, 4],
    box: [0, 0, 0.5, 0.5],
    maps: [[1, 0, 0, 0], [0, 0, 0, 1]],
    mapShape: [2, 2],
    ...overrides,
  };
}

Deno.test("overlayImage() lays the frame and each map side by side, and outlines the box in white", () => {
  const image = overlayImage(sample(), { scale: 2, opacity: 1 });
  assert.deepEqual([image.width, image.height], [3 * 8 + 2 * 4, 8]);
  const pixel = (x: number, y: number) =>
    Array.from(image.data.slice((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));
  // Panel 0 is the frame: grey inside, white on the box's edge (box = the top-left 4×4 pixels).
  assert.deepEqual(pixel(7, 7), [0.5, 0.5, 0.5]);
  assert.deepEqual(pixel(0, 0), [1, 1, 1]);
  assert.deepEqual(pixel(3, 2), [1, 1, 1]);
  // Panel 1 (map peaked top-left, opacity 1): the top colour of the ramp at the far top-left, off the box edge
  // the bottom-right corner is the lowest colour.
  const left1 = 8 + 4;
  const hot = pixel(left1 + 1, 1), cold = pixel(left1 + 7, 7);
  assert.ok((hot[0] as number) > 0.8 && (hot[2] as number) < 0.2, `hot ${hot}`);
  assert.ok((cold[2] as number) > (cold[0] as number), `cold ${cold}`);
  // The gap between panels is white.
  assert.deepEqual(pixel(9, 5), [1, 1, 1]);
});

Deno.test("overlayImage() rejects a frame of the wrong size, naming the counts", () => {
  assert.throws(
    () => overlayImage(sample({ frame: [0, 0, 0] })),
    /must have 16 \(grey\) or 48 \(RGB\) values, current count is 3/,
  );
});

Deno.test("overlayImage() draws a grey frame in all three channels", () => {
  const image = overlayImage(sample({ frame: new Array(16).fill(0.25), maps: [] }), { scale: 1 });
  assert.deepEqual(Array.from(image.data.slice(3 * 15, 3 * 16)), [0.25, 0.25, 0.25]);
});

Deno.test("overlayMarkdown() embeds one decodable PNG per sample with its caption, and the panel legend", () => {
  const md = overlayMarkdown([sample(), (({ box: _, ...rest }) => rest)(sample({ caption: "s1 [x]" }))], [
    "clean map",
    "pgd on joint",
  ]);
  assert.match(md, /^Panels, left to right: frame \(box in white\), clean map, pgd on joint\./);
  const images = [...md.matchAll(/!\[([^\]]*)\]\(data:image\/png;base64,([A-Za-z0-9+/=]+)\)/g)];
  assert.equal(images.length, 2);
  assert.equal(images[1]?.[1], "s1 x");
  const decoded = decodeImage(new Uint8Array(Buffer.from(images[0]?.[2] ?? "", "base64")), "overlay.png");
  assert.deepEqual([decoded.width, decoded.height], [3 * 16 + 2 * 4, 16]);
  assert.match(md, /s1 \\\[x\\\]/);
  assert.equal(overlayMarkdown([], []), "");
});
