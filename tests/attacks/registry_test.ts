import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { createRng } from "../../lib/engine/random.ts";
import {
  attackInfo,
  attackNames,
  ATTACKS,
  type AttackSpec,
  registerAttack,
  runAttack,
  type UserAttackOptions,
  withSeed,
} from "../../lib/attacks/registry.ts";
import { changedOptions, resolveSpec, specLabel } from "../../lib/attacks/spec_label.ts";
import { isAdversarial } from "../../lib/attacks/criteria.ts";
import type { AttackResult } from "../../lib/attacks/types.ts";
import type { AvBatch } from "../../lib/data/batch.ts";
import type { AvModel } from "../../lib/models/types.ts";
import { runSweep } from "../../lib/eval/sweep.ts";
import { fromEvalRecords } from "../../lib/report/study/from_eval_records.ts";
import { attackLabel } from "../../lib/report/attack_identity.ts";
import { fixtureSplit, linearBatch, linearModel } from "./_fixtures.ts";

await useBackend("wasm");

const SPEC_OF: { [K in keyof typeof ATTACKS]: AttackSpec } = {
  fgsm: { attack: "fgsm" },
  pgd: { attack: "pgd" },
  mim: { attack: "mim" },
  apgd: { attack: "apgd" },
  square: { attack: "square", options: { queries: 20 } },
  worstCase: { attack: "worstCase", options: { attacks: [{ attack: "fgsm" }, { attack: "pgd" }] } },
};

Deno.test("runAttack() dispatches every registered name with the call's budget", async () => {
  const model = linearModel({ seed: 51 });
  const batch = linearBatch(model, { seed: 52 });
  for (const spec of Object.values(SPEC_OF)) {
    const result = await runAttack(model, batch, spec, { norm: "linf", audio: 0.01, visual: 0 });
    assert.deepEqual(await result.visual.data(), await batch.visual.data());
    tf.dispose([result.audio, result.visual]);
  }
});

Deno.test("runAttack() rejects unknown attacks, missing budgets and losses the attack does not take", async () => {
  const model = linearModel({ seed: 1 });
  const batch = linearBatch(model, { seed: 1 });
  const budget = { norm: "linf" as const, audio: 0.01, visual: 0 };
  await assert.rejects(
    () => runAttack(model, batch, { attack: "cw" } as unknown as AttackSpec, budget),
    RangeError,
    "current value is 'cw'",
  );
  // @ts-expect-error: the budget is required
  await assert.rejects(() => runAttack(model, batch, { attack: "pgd" }), RangeError, "a budget is required");
  await assert.rejects(
    () =>
      runAttack(model, batch, { attack: "pgd", options: { loss: "hinge" } } as unknown as AttackSpec, budget),
    RangeError,
    "options.loss must be one of",
  );
});

Deno.test("every registry entry carries its metadata", () => {
  assert.deepEqual(attackNames().slice(0, 6), ["fgsm", "pgd", "mim", "apgd", "square", "worstCase"]);
  for (const name of attackNames()) {
    const info = attackInfo(name);
    assert.ok(info, name);
    assert.equal(typeof info.iterative, "boolean");
    assert.equal(typeof info.gradientFree, "boolean");
    assert.ok(Array.isArray(info.losses));
    assert.equal(typeof info.defaults, "object");
    assert.ok(info.description.length > 0);
  }
  assert.deepEqual(
    Object.entries(ATTACKS).map(([name, e]) => [name, e.iterative, e.composite ?? false]),
    [["fgsm", false, false], ["pgd", true, false], ["mim", true, false], ["apgd", true, false], [
      "square",
      true,
      false,
    ], [
      "worstCase",
      true,
      true,
    ]],
  );
  assert.equal(typeof ATTACKS.pgd.run, "function");
  assert.ok(ATTACKS.mim.losses.includes("margin"));
  assert.deepEqual(
    Object.entries(ATTACKS).filter(([, e]) => e.gradientFree).map(([name]) => name),
    ["square"],
  );
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
  assert.equal(specLabel(SPEC_OF.worstCase), "worstCase(fgsm+pgd)");
  assert.deepEqual(withSeed({ attack: "fgsm" }, 4), { attack: "fgsm", options: { seed: 4 } });
});

/**
 * A baseline that needs no gradient: uniform noise in [-ε, ε] per element (L∞), per modality, scaled by
 * `options.fraction`, clipped to the model's bounds.
 */
function uniformNoise(model: AvModel, batch: AvBatch, options: UserAttackOptions): Promise<AttackResult> {
  const { budget, seed = 0 } = options;
  const fraction = typeof options.fraction === "number" ? options.fraction : 1;
  const rng = createRng(seed);
  const noisy = <T extends tf.Tensor>(x: T, eps: number, [low, high]: readonly [number, number]): T => {
    const values = Float32Array.from({ length: x.size }, () => (2 * rng.uniform() - 1) * eps * fraction);
    return tf.tidy(() => tf.clipByValue(tf.add(x, tf.tensor(values, x.shape)), low, high));
  };
  const audio = noisy(batch.audio, budget.audio, model.bounds.audio);
  const visual = noisy(batch.visual, budget.visual, model.bounds.visual);
  const { success, predictions } = tf.tidy(() => {
    const logits = model.apply(audio, visual, { training: false }).logits;
    return {
      success: Array.from(isAdversarial(logits, batch.labels).dataSync(), (s) => s !== 0),
      predictions: Array.from(tf.argMax(logits, 1).dataSync()),
    };
  });
  return Promise.resolve({
    audio,
    visual,
    success,
    predictions,
    targets: null,
    lossTrace: [],
    finalLoss: success.map(() => NaN),
    gradientCalls: 0,
    sampleGradients: 0,
  });
}

Deno.test("registerAttack() adds an attack that runs through runAttack and runSweep and keeps its name and options", async () => {
  const noise = registerAttack("uniformNoise", {
    run: uniformNoise,
    defaults: { target: "none", seed: 0, fraction: 1 },
    iterative: false,
    gradientFree: true,
    losses: [],
    description: "uniform noise of size ε per modality",
  });
  assert.throws(() => registerAttack("pgd", { ...ATTACKS.fgsm }), RangeError, "must be new");
  assert.deepEqual(attackInfo("uniformNoise")?.gradientFree, true);
  assert.ok(attackNames().includes("uniformNoise"));

  const model = linearModel({ seed: 61 });
  const batch = linearBatch(model, { size: 5, seed: 62 });
  const budget = { norm: "linf" as const, audio: 0.05, visual: 0 };
  const result = await runAttack(model, batch, noise({ seed: 3 }), budget);
  const delta = await tf.sub(result.audio, batch.audio).abs().max().data();
  assert.ok((delta[0] ?? Infinity) <= 0.05 + 1e-6 && (delta[0] ?? 0) > 0);
  assert.deepEqual(await result.visual.data(), await batch.visual.data());
  assert.equal(result.success.length, 5);
  tf.dispose([result.audio, result.visual]);

  const { split, shape } = fixtureSplit(model, { size: 6, seed: 63 });
  const records = await runSweep({
    models: [{ name: "linear", model }],
    data: { name: "fixture", hash: "fixture-noise", split, shape },
    attacks: [noise({ fraction: 0.5 }), {
      attack: "worstCase",
      options: { attacks: [noise(), { attack: "fgsm" }] },
    }],
    budgets: [{ norm: "linf", audio: 0.05, visual: 0 }],
    batchSize: 4,
    codeVersion: "test",
  });
  const [single, worst] = records;
  assert.equal(single?.attack, "uniformNoise");
  assert.equal(single?.attackLabel, "uniformNoise(fraction=0.5)");
  assert.deepEqual(JSON.parse(single?.attackConfig ?? "{}").options, { target: "none", fraction: 0.5 });
  assert.equal(worst?.attack, "worstCase");
  assert.deepEqual(worst?.ensemble, ["uniformNoise", "fgsm"]);
  const [row] = fromEvalRecords(records, "table");
  assert.equal(row?.attack, "uniformNoise");
  assert.deepEqual(row?.attackOptions, { fraction: 0.5 });
  assert.equal(row && attackLabel(row), "uniformNoise(fraction=0.5)");
});

Deno.test("changedOptions() keeps a non-default option, and the label derived from it matches specLabel()", () => {
  const spec: AttackSpec = { attack: "mim", options: { projection: "asReleased", steps: 10, keep: "best" } };
  const record = { attack: "mim", attackOptions: changedOptions(spec) };
  assert.deepEqual(record.attackOptions, { projection: "asReleased" });
  assert.equal(attackLabel(record), "mim(projection=asReleased)");
  assert.equal(attackLabel(record), specLabel(spec));
});
