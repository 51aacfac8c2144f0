import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { createRng } from "../../lib/engine/random.ts";
import { chooseTargets } from "../../lib/attacks/targets.ts";
import { runAttack } from "../../lib/attacks/registry.ts";
import type { AttackSpec, TargetMode } from "../../lib/attacks/mod.ts";
import { linearBatch, linearModel } from "./_fixtures.ts";

await useBackend("wasm");

Deno.test("chooseTargets() never picks the label for next, random and least-likely targets", () => {
  const labels = new Int32Array([0, 1, 2, 3, 0, 1]);
  const cleanLogits = Float32Array.from(
    { length: 24 },
    (_, k) => ((k * 7) % 5) - (k % 4 === Math.floor(k / 4) % 4 ? 10 : 0),
  );
  for (const mode of ["next", "random"] as const) {
    const targets = chooseTargets(mode, { labels, numClasses: 4, rng: createRng(1) }) ?? [];
    targets.forEach((t, i) => assert.notEqual(t, labels[i]));
  }
  assert.deepEqual(chooseTargets("leastLikely", { labels, numClasses: 4, cleanLogits }), [0, 1, 2, 3, 0, 1]);
  assert.equal(chooseTargets("none", { labels, numClasses: 4 }), null);
});

Deno.test("chooseTargets() rejects missing or out-of-range given targets", () => {
  const labels = new Int32Array([0, 1]);
  assert.throws(() => chooseTargets("given", { labels, numClasses: 3 }), TypeError, "batch.targets");
  assert.throws(
    () => chooseTargets("given", { labels, numClasses: 3, given: new Int32Array([0, 5]) }),
    RangeError,
    "current value is 5",
  );
});

Deno.test("targeted attacks reach their targets on an easy model", async (t) => {
  const model = linearModel({ numClasses: 4, seed: 41 });
  const batch = linearBatch(model, { size: 6, seed: 42 });
  batch.targets = tf.tensor1d([2, 3, 0, 1, 2, 3], "int32");
  const budget = { norm: "linf" as const, audio: 0.5, visual: 0.3 };
  const specs: AttackSpec[] = [
    { attack: "pgd", options: { steps: 20, relativeStepSize: 0.25 } },
    { attack: "mim", options: { steps: 20, relativeStepSize: 0.25 } },
    { attack: "apgd", options: { steps: 20 } },
  ];
  const modes: TargetMode[] = ["next", "random", "leastLikely", "given"];
  for (const spec of specs) {
    for (const target of modes) {
      await t.step(`${spec.attack}, target ${target}`, async () => {
        const result = await runAttack(model, batch, {
          attack: spec.attack,
          options: { ...spec.options, target, seed: 5 },
        } as AttackSpec, budget);
        assert.ok(result.targets);
        assert.deepEqual(result.predictions, result.targets);
        assert.ok(result.success.every(Boolean));
        tf.dispose([result.audio, result.visual]);
      });
    }
  }
});
