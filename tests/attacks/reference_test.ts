import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { fgsm } from "../../lib/attacks/fgsm.ts";
import { mim } from "../../lib/attacks/mim.ts";
import { pgd } from "../../lib/attacks/pgd.ts";
import { PAPER_BUDGETS } from "../../lib/attacks/budgets.ts";
import type { Budget } from "../../lib/attacks/types.ts";
import { linearBatch, nonlinearModel } from "./_fixtures.ts";
import { referenceAttack } from "./_reference.ts";

await useBackend("wasm");

const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

async function maxDifference(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const [value = NaN] = await d.data();
  d.dispose();
  return value;
}

const CASES: [string, Budget][] = [
  ["audio-only", { ...PAPER_BUDGETS.audioOnly, audio: 0.05 }],
  ["visual-only", { ...PAPER_BUDGETS.visualOnly, visual: 0.05 }],
  ["joint", { ...PAPER_BUDGETS.joint, audio: 0.03, visual: 0.03 }],
];

Deno.test("fgsm(), pgd() and mim(asReleased) match a transcription of the paper's released code", async (t) => {
  const model = nonlinearModel({ numClasses: 4, seed: 21, normalization: IMAGENET });
  // Inputs stay away from the audio bounds: the released FGSM does not clip audio.
  const batch = linearBatch(model, { size: 6, seed: 22, audioRange: [-0.5, 0.5], visualRange: [0, 1] });
  for (const [name, budget] of CASES) {
    for (const kind of ["fgsm", "pgd", "mim"] as const) {
      await t.step(`${kind}, ${name}`, async () => {
        const ours = kind === "fgsm"
          ? await fgsm(model, batch, { budget })
          : kind === "pgd"
          ? await pgd(model, batch, { budget, keep: "last" })
          : await mim(model, batch, { budget, keep: "last", projection: "asReleased" });
        const reference = referenceAttack(kind, model, batch, budget);
        assert.ok(await maxDifference(ours.audio, reference.audio) < 1e-5, "audio differs");
        assert.ok(await maxDifference(ours.visual, reference.visual) < 1e-5, "visual differs");
        assert.equal(
          await maxDifference(ours.audio, batch.audio) > 0,
          budget.audio > 0,
          "audio moved iff attacked",
        );
        assert.equal(
          await maxDifference(ours.visual, batch.visual) > 0,
          budget.visual > 0,
          "visual moved iff attacked",
        );
        tf.dispose([ours.audio, ours.visual, reference.audio, reference.visual]);
      });
    }
  }
});
