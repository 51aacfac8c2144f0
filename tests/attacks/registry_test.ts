import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { ATTACKS, type AttackSpec, resolveSpec, runAttack, specLabel } from "../../lib/attacks/registry.ts";
import { linearBatch, linearModel } from "./_fixtures.ts";

await useBackend("wasm");

Deno.test("runAttack() dispatches every registered name and lets the call's budget win", async () => {
  const model = linearModel({ seed: 51 });
  const batch = linearBatch(model, { seed: 52 });
  for (const attack of Object.keys(ATTACKS) as AttackSpec["attack"][]) {
    const spec: AttackSpec = { attack, options: { budget: { norm: "linf", audio: 0.5, visual: 0.5 } } };
    const result = await runAttack(model, batch, spec, { norm: "linf", audio: 0.01, visual: 0 });
    assert.deepEqual(await result.visual.data(), await batch.visual.data());
    tf.dispose([result.audio, result.visual]);
  }
});

Deno.test("runAttack() rejects unknown attacks and missing budgets", async () => {
  const model = linearModel({ seed: 1 });
  const batch = linearBatch(model, { seed: 1 });
  await assert.rejects(
    () => runAttack(model, batch, { attack: "cw" } as unknown as AttackSpec),
    RangeError,
    "current value is 'cw'",
  );
  await assert.rejects(() => runAttack(model, batch, { attack: "pgd" }), RangeError, "a budget is required");
});

Deno.test("resolveSpec() fills defaults and specLabel() names what differs", () => {
  const resolved = resolveSpec({ attack: "mim", options: { projection: "asReleased", loss: "margin" } });
  assert.deepEqual(resolved.options, {
    target: "none",
    loss: "margin",
    seed: 0,
    steps: 10,
    relativeStepSize: 0.125,
    momentumDecay: 1,
    projection: "asReleased",
    keep: "best",
    earlyStop: true,
  });
  assert.equal(
    specLabel({ attack: "mim", options: { projection: "asReleased", keep: "last" } }),
    "mim(keep=last,projection=asReleased)",
  );
  assert.equal(specLabel({ attack: "fgsm" }), "fgsm");
});
