import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { createModel } from "../../lib/models/create_model.ts";
import { disposeOutput } from "../../lib/models/dispose_output.ts";
import type { AvModel } from "../../lib/models/types.ts";
import { apgd } from "../../lib/attacks/apgd.ts";
import { pgd } from "../../lib/attacks/pgd.ts";
import type { AttackResult } from "../../lib/attacks/types.ts";
import { TINY_MODEL } from "../train/_fixtures.ts";
import { TINY_SHAPES, tinyInputs } from "../models/_fixtures.ts";

await useBackend("wasm");

const SHAPES = TINY_SHAPES;

function batch(size: number) {
  return { ...tinyInputs(size), labels: tf.tensor1d(Array.from({ length: size }, (_, i) => i % 4), "int32") };
}

Deno.test("AvModel.encode() + apply({ encoded }) gives exactly the whole forward pass and leaves the encodings to the caller", () => {
  const model = createModel({ kind: "av", fusion: "attention", ...SHAPES, ...TINY_MODEL });
  const { audio, visual, labels } = batch(3);
  const whole = model.apply(audio, visual);
  for (const modality of ["audio", "visual"] as const) {
    const encoding = model.encode!(modality, modality === "audio" ? audio : visual);
    const before = tf.memory().numTensors;
    const part = model.apply(audio, visual, { encoded: { [modality]: encoding } });
    assert.deepEqual(part.logits.arraySync(), whole.logits.arraySync(), `${modality} encoded: logits differ`);
    assert.deepEqual(part.audioFeatures?.arraySync(), whole.audioFeatures?.arraySync());
    assert.deepEqual(part.visualMap?.arraySync(), whole.visualMap?.arraySync());
    disposeOutput(part);
    assert.equal(tf.memory().numTensors, before, "apply() leaked or freed tensors");
    assert.ok(!encoding.features.isDisposed, "disposing the output freed the caller's encoding");
    tf.dispose([encoding.features, ...(encoding.map ? [encoding.map] : [])]);
  }
  disposeOutput(whole);
  assert.throws(
    () => createModel({ kind: "visual", ...SHAPES, ...TINY_MODEL }).encode!("audio", audio),
    /does not read audio/,
  );
  tf.dispose([audio, visual, labels]);
  model.dispose();
});

/** The same model without `encode`: attacks then run both encoders at every step. */
function withoutEncode(model: AvModel): AvModel {
  const { encode: _encode, ...rest } = model;
  return rest;
}

async function same(a: AttackResult, b: AttackResult, what: string): Promise<void> {
  assert.deepEqual(a.success, b.success, `${what}: success differs`);
  assert.deepEqual(await a.audio.data(), await b.audio.data(), `${what}: adversarial audio differs`);
  assert.deepEqual(await a.visual.data(), await b.visual.data(), `${what}: adversarial frames differ`);
  assert.deepEqual(a.lossTrace, b.lossTrace, `${what}: loss trace differs`);
}

Deno.test("single-modality attacks reuse the other modality's encoding and give bit-identical results", async () => {
  const model = createModel({ kind: "av", fusion: "film", ...SHAPES, ...TINY_MODEL });
  const plain = withoutEncode(model);
  const data = batch(6);
  for (const budget of [{ audio: 0.05, visual: 0 }, { audio: 0, visual: 0.05 }]) {
    const options = { budget: { norm: "linf" as const, ...budget }, steps: 5, seed: 3 };
    for (const [name, attack] of [["pgd", pgd], ["apgd", apgd]] as const) {
      const encodedCalls: string[] = [];
      const spy: AvModel = {
        ...model,
        encode: (modality, input) => (encodedCalls.push(modality), model.encode!(modality, input)),
      };
      const fast = await attack(spy, data, options);
      assert.deepEqual(
        encodedCalls,
        [budget.audio > 0 ? "visual" : "audio"],
        `${name}: encoded ${encodedCalls}`,
      );
      const slow = await attack(plain, data, options);
      await same(fast, slow, `${name} ${JSON.stringify(budget)}`);
      tf.dispose([fast.audio, fast.visual, slow.audio, slow.visual]);
    }
  }
  tf.dispose([data.audio, data.visual, data.labels]);
  model.dispose();
});
