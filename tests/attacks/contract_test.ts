import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { type AttackSpec, runAttack } from "../../lib/attacks/registry.ts";
import { specLabel } from "../../lib/attacks/spec_label.ts";
import { isAdversarial } from "../../lib/attacks/criteria.ts";
import type { Budget } from "../../lib/attacks/types.ts";
import { linearBatch, nonlinearModel } from "./_fixtures.ts";

const NORMALIZATION = { mean: [0.5, 0.45, 0.4], std: [0.25, 0.2, 0.3] };

const SPECS: AttackSpec[] = [
  { attack: "fgsm" },
  { attack: "pgd", options: { steps: 5, randomStart: true, seed: 3 } },
  { attack: "mim", options: { steps: 5 } },
  { attack: "apgd", options: { steps: 8, seed: 4 } },
  { attack: "square", options: { queries: 30, seed: 5 } },
];

/** Attacks defined for one norm only: they must refuse the others with a RangeError. */
const NORMS_OF: Partial<Record<string, Budget["norm"][]>> = { square: ["linf"] };

const BUDGETS: Budget[] = [
  { norm: "linf", audio: 0.03, visual: 0.03 },
  { norm: "linf", audio: 0.03, visual: 0.03, visualUnits: "normalized" },
  { norm: "l2", audio: 0.1, visual: 0.1 },
  { norm: "linf", audio: 0.03, visual: 0 },
  { norm: "l2", audio: 0, visual: 0.1, visualUnits: "normalized" },
  { norm: "linf", audio: 0, visual: 0 },
];

/** Per-sample size of the perturbation in budget units, computed independently of the library. */
function sizes(
  clean: ArrayLike<number>,
  adversarial: ArrayLike<number>,
  n: number,
  norm: "linf" | "l2",
  std: number[] | null,
): number[] {
  const per = clean.length / n;
  return Array.from({ length: n }, (_, i) => {
    let size = 0;
    for (let j = 0; j < per; j++) {
      const d = ((adversarial[i * per + j] ?? 0) - (clean[i * per + j] ?? 0)) /
        (std ? std[j % std.length] ?? 1 : 1);
      size = norm === "linf" ? Math.max(size, Math.abs(d)) : size + d * d;
    }
    return norm === "linf" ? size : Math.sqrt(size);
  });
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`every registered attack keeps the attack contract (${backend})`, async (t) => {
    await useBackend(backend);
    const model = nonlinearModel({ numClasses: 3, seed: 31, normalization: NORMALIZATION });
    const batch = linearBatch(model, { size: 6, seed: 32, labels: "random", visualRange: [0, 1] });
    const clean = { audio: await batch.audio.data(), visual: await batch.visual.data() };
    const labels = Array.from(await batch.labels.data());
    const cleanPredictions = tf.tidy(() => tf.argMax(model.apply(batch.audio, batch.visual).logits, 1));
    const cleanAccuracy = Array.from(await cleanPredictions.data()).filter((p, i) => p === labels[i]).length /
      labels.length;
    cleanPredictions.dispose();
    for (const spec of SPECS) {
      for (const budget of BUDGETS) {
        await t.step(`${specLabel(spec)}, ${JSON.stringify(budget)}`, async () => {
          if (!(NORMS_OF[spec.attack] ?? [budget.norm]).includes(budget.norm)) {
            await assert.rejects(() => runAttack(model, batch, spec, budget), RangeError, "budget.norm");
            return;
          }
          const first = await runAttack(model, batch, spec, budget);
          const before = tf.memory().numTensors;
          const second = await runAttack(model, batch, spec, budget);
          tf.dispose([second.audio, second.visual]);
          assert.equal(tf.memory().numTensors, before, "no tensor leak");
          const again = await runAttack(model, batch, spec, budget);
          const audio = await first.audio.data(), visual = await first.visual.data();
          assert.deepEqual(await again.audio.data(), audio, "same seed, same audio");
          assert.deepEqual(await again.visual.data(), visual, "same seed, same visual");
          const std = budget.visualUnits === "normalized" ? NORMALIZATION.std : null;
          for (const size of sizes(clean.audio, audio, labels.length, budget.norm, null)) {
            assert.ok(size <= budget.audio + 1e-6, `audio size ${size} within ${budget.audio}`);
          }
          for (const size of sizes(clean.visual, visual, labels.length, budget.norm, std)) {
            assert.ok(size <= budget.visual + 1e-6, `visual size ${size} within ${budget.visual}`);
          }
          assert.ok(audio.every((v) => v >= -1 && v <= 1), "audio within bounds");
          assert.ok(visual.every((v) => v >= 0 && v <= 1), "visual within bounds");
          if (budget.audio === 0) assert.deepEqual(audio, clean.audio, "zero-budget audio bit-identical");
          if (budget.visual === 0) assert.deepEqual(visual, clean.visual, "zero-budget visual bit-identical");
          const success = tf.tidy(() =>
            isAdversarial(model.apply(first.audio, first.visual).logits, batch.labels)
          );
          assert.deepEqual(
            Array.from(await success.data(), (s) => s === 1),
            first.success,
            "success matches isAdversarial",
          );
          success.dispose();
          const robustAccuracy = first.predictions.filter((p, i) => p === labels[i]).length / labels.length;
          assert.ok(robustAccuracy <= cleanAccuracy, "robust accuracy <= clean accuracy");
          tf.dispose([first.audio, first.visual, again.audio, again.visual]);
        });
      }
    }
    model.dispose();
    tf.dispose([batch.audio, batch.visual, batch.labels]);
  });
}
