import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { worstCase } from "../../lib/attacks/worst_case.ts";
import { runAttack } from "../../lib/attacks/registry.ts";
import type { AttackSpec } from "../../lib/attacks/registry.ts";
import { linearBatch, nonlinearModel } from "./_fixtures.ts";

await useBackend("wasm");

Deno.test("worstCase() is at least as strong as each member and records accuracy after each", async () => {
  const model = nonlinearModel({ numClasses: 4, seed: 61 });
  const batch = linearBatch(model, { size: 16, seed: 62, labels: "random" });
  const budget = { norm: "linf" as const, audio: 0.03, visual: 0.03 };
  const attacks: AttackSpec[] = [{ attack: "fgsm" }, { attack: "pgd", options: { steps: 5 } }, {
    attack: "apgd",
    options: { steps: 10 },
  }];
  const before = tf.memory().numTensors;
  const result = await worstCase(model, batch, { attacks, budget });
  const robust = result.success.filter((s) => !s).length / 16;
  assert.equal(result.steps.length, 3);
  assert.equal(result.steps.at(-1)?.robustAccuracy, robust);
  for (let i = 1; i < 3; i++) {
    assert.ok((result.steps[i]?.robustAccuracy ?? 1) <= (result.steps[i - 1]?.robustAccuracy ?? 0));
  }
  assert.ok((result.steps[0]?.robustAccuracy ?? 1) <= result.cleanAccuracy);
  for (const spec of attacks) {
    const single = await runAttack(model, batch, spec, budget);
    assert.ok(robust <= single.success.filter((s) => !s).length / 16);
    tf.dispose([single.audio, single.visual]);
  }
  const check = tf.tidy(() => tf.argMax(model.apply(result.audio, result.visual).logits, 1));
  const labels = await batch.labels.data();
  const predictions = await check.data();
  check.dispose();
  result.success.forEach((s, i) => assert.equal(s, predictions[i] !== labels[i], `sample ${i}`));
  tf.dispose([result.audio, result.visual]);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("worstCase() rejects an empty attack list", async () => {
  const model = nonlinearModel({ seed: 1 });
  const batch = linearBatch(model, { seed: 1 });
  await assert.rejects(
    () => worstCase(model, batch, { attacks: [], budget: { norm: "linf", audio: 0.1, visual: 0 } }),
    RangeError,
    "at least one attack",
  );
});
