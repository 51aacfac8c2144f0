import assert from "node:assert/strict";
import { framePanels } from "../../../lib/report/examples/frame_panels.ts";

Deno.test("framePanels() draws clean, adversarial and the perturbation amplified around grey", () => {
  const clean = [0.2, 0.4, 0.6, 0.8];
  const adversarial = [0.21, 0.39, 0.6, 0.805];
  const panels = framePanels(clean, adversarial, [2, 2, 1], { minSize: 2 });
  assert.ok(Math.abs(panels.maxChange - 0.01) < 1e-6);
  assert.ok(Math.abs(panels.factor - 50) < 1e-3);
  for (const image of [panels.clean, panels.adversarial, panels.perturbation]) {
    assert.deepEqual([image.width, image.height], [2, 2]);
  }
  const grey = Array.from({ length: 4 }, (_, i) => panels.perturbation.data[i * 3] as number);
  const expected = [1, 0, 0.5, 0.75];
  grey.forEach((v, i) => assert.ok(Math.abs(v - (expected[i] as number)) < 1e-3, `pixel ${i}: ${v}`));
  assert.ok(Math.abs((panels.adversarial.data[0] as number) - 0.21) < 1e-6);
});

Deno.test("framePanels() shows an unchanged frame as flat grey with factor 1", () => {
  const frame = [0.1, 0.9, 0.3];
  const panels = framePanels(frame, frame, [1, 1, 3], { minSize: 1 });
  assert.deepEqual([panels.factor, panels.maxChange], [1, 0]);
  assert.deepEqual(Array.from(panels.perturbation.data), [0.5, 0.5, 0.5]);
});

Deno.test("framePanels() rejects frames of different sizes", () => {
  assert.throws(
    () => framePanels([0, 0], [0], [1, 2, 1]),
    (e: Error) => e instanceof TypeError && /must have 2 values, current count is 1/.test(e.message),
  );
});
