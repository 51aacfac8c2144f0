import assert from "node:assert/strict";
import {
  checkBudget,
  checkDeterministic,
  checkEnsemble,
  checkFinite,
  checkLogits,
  checkLossIncrease,
  checkMonotoneEpsilon,
  checkRange,
  checkStrongerWeaker,
  checkZeroBudget,
  checkZeroGradient,
} from "../../lib/eval/checks.ts";
import { CHECK_DOCS } from "../../lib/eval/check_docs.ts";
import type { EvalRecord } from "../../lib/eval/types.ts";

Deno.test("per-cell checks flag exactly the bad measurements", async (t) => {
  const rows: [string, { id: string; ok: boolean }, boolean][] = [
    ["budget ok", checkBudget({ audio: 0.012, visual: 0.006 }, { audio: 0.012, visual: 0.006 }), true],
    ["budget rounding", checkBudget({ audio: 0.0120000001, visual: 0 }, { audio: 0.012, visual: 0 }), true],
    ["budget 1.25 eps", checkBudget({ audio: 0.015, visual: 0 }, { audio: 0.012, visual: 0 }), false],
    ["range ok", checkRange({ audio: [-1, 1], visual: [0, 1] }, { audio: [-1, 1], visual: [0, 1] }), true],
    [
      "range out",
      checkRange({ audio: [-1.1, 1], visual: [0, 1] }, { audio: [-1, 1], visual: [0, 1] }),
      false,
    ],
    ["range NaN", checkRange({ audio: [NaN, 1], visual: [0, 1] }, { audio: [-1, 1], visual: [0, 1] }), false],
    ["finite", checkFinite(0), true],
    ["not finite", checkFinite(2), false],
    ["loss rose", checkLossIncrease(0.5, 2), true],
    ["loss fell", checkLossIncrease(0.5, 0.2), false],
    ["zero budget ok", checkZeroBudget(0.75, 0.75), true],
    ["zero budget changed", checkZeroBudget(0.75, 0.7), false],
    ["gradients", checkZeroGradient(0, 10), true],
    ["zero gradients", checkZeroGradient(1, 10), false],
    ["deterministic", checkDeterministic(1e-7), true],
    ["random", checkDeterministic(0.3), false],
    ["logits", checkLogits([3, -2, 0.1, 0.2], 2), true],
    ["probabilities", checkLogits([0.3, 0.7, 1, 0], 2), false],
  ];
  for (const [name, result, ok] of rows) {
    await t.step(name, () => {
      assert.equal(result.ok, ok);
      assert.ok(result.id in CHECK_DOCS);
    });
  }
});

function record(fields: Partial<EvalRecord>): EvalRecord {
  const base = {
    dataset: "d",
    model: "m",
    norm: "linf",
    visualUnits: "normalized",
    target: "none",
    epsAudio: 0.01,
    epsVisual: 0,
    budgetKind: "audio",
    attack: "pgd",
    attackLabel: "pgd",
    robustAccuracy: 0.5,
    n: 100,
    configHash: "x",
    ensemble: null,
  };
  // Cross-record checks read only these fields.
  return { ...base, ...fields } as unknown as EvalRecord;
}

Deno.test("checkStrongerWeaker() flags an iterative attack that leaves more accuracy than FGSM", () => {
  const verdicts = checkStrongerWeaker([
    record({ attack: "fgsm", attackLabel: "fgsm", robustAccuracy: 0.4, configHash: "f" }),
    record({ attack: "pgd", attackLabel: "pgd", robustAccuracy: 0.3, configHash: "p" }),
    record({ attack: "mim", attackLabel: "mim", robustAccuracy: 0.6, configHash: "m" }),
  ]);
  assert.deepEqual(verdicts.map((v) => [v.configHash, v.check.ok]), [["p", true], ["m", false]]);
});

Deno.test("checkMonotoneEpsilon() flags accuracy that rises with epsilon along one direction", () => {
  const verdicts = checkMonotoneEpsilon([
    record({ epsAudio: 0.001, robustAccuracy: 0.8, configHash: "a" }),
    record({ epsAudio: 0.002, robustAccuracy: 0.6, configHash: "b" }),
    record({ epsAudio: 0.003, robustAccuracy: 0.7, configHash: "c" }),
    record({ epsAudio: 0, epsVisual: 0.003, budgetKind: "visual", robustAccuracy: 0.9, configHash: "v" }),
  ]);
  assert.deepEqual(verdicts.map((v) => [v.configHash, v.check.ok]), [["b", true], ["c", false]]);
});

Deno.test("checkEnsemble() flags a worst case weaker than one of its members", () => {
  const verdicts = checkEnsemble([
    record({ attack: "fgsm", attackLabel: "fgsm", robustAccuracy: 0.4 }),
    record({ attack: "pgd", attackLabel: "pgd", robustAccuracy: 0.3 }),
    record({
      attack: "worstCase",
      attackLabel: "worstCase(fgsm+pgd)",
      ensemble: ["fgsm", "pgd"],
      robustAccuracy: 0.35,
      configHash: "w",
    }),
  ]);
  assert.deepEqual(verdicts.map((v) => [v.configHash, v.check.ok]), [["w", false]]);
});
