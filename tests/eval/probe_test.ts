import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { probeModel } from "../../lib/eval/probe.ts";
import type { AvModel } from "../../lib/models/types.ts";
import { linearBatch, linearModel } from "../attacks/_fixtures.ts";

await useBackend("wasm");

function flags(checks: { id: string; ok: boolean }[]): string[] {
  return checks.filter((c) => !c.ok).map((c) => c.id);
}

Deno.test("probeModel() passes a deterministic logit model", async () => {
  const model = linearModel({ seed: 91 });
  const probe = await probeModel(model, linearBatch(model, { seed: 92 }));
  assert.deepEqual(flags(probe.checks), []);
  assert.equal(probe.correctSamples, 4);
});

Deno.test("probeModel() flags probabilities, randomness and zero gradients", async () => {
  const base = linearModel({ seed: 93 });
  const batch = linearBatch(base, { seed: 94 });
  let calls = 0;
  const wrap = (apply: AvModel["apply"]): AvModel => ({ ...base, apply });
  const softmax = wrap((a, v, o) => {
    const out = base.apply(a, v, o);
    return { ...out, logits: tf.softmax(out.logits) };
  });
  const noisy = wrap((a, v, o) => {
    const out = base.apply(a, v, o);
    calls += 1;
    return { ...out, logits: tf.add(out.logits, tf.scalar(calls * 0.1)) };
  });
  const flat = wrap((a, v, o) => {
    const out = base.apply(a, v, o);
    return { ...out, logits: tf.mul(tf.round(tf.div(out.logits, 1000)), 1000) };
  });
  assert.deepEqual(flags((await probeModel(softmax, batch)).checks), ["logits"]);
  assert.deepEqual(flags((await probeModel(noisy, batch)).checks), ["deterministic"]);
  assert.ok(flags((await probeModel(flat, batch)).checks).includes("zero-gradient"));
});
