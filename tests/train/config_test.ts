import assert from "node:assert/strict";
import { learningRatesAt, resolveTrainConfig, TRAIN_PRESETS } from "../../lib/train/config.ts";

Deno.test("resolveTrainConfig() gives the paper's recipe", () => {
  const config = resolveTrainConfig({ preset: "paper" });
  assert.deepEqual(config.optimizer, { kind: "sgd", momentum: 0.9, weightDecay: 1e-4 });
  assert.deepEqual(config.learningRates, { audio: 1e-3, visual: 1e-4, fusion: 1e-3 });
  assert.deepEqual(config.milestones, [10, 20]);
  assert.equal(config.epochs, 30);
  assert.equal(config.batchSize, 48);
  assert.equal(config.seed, 1234);
});

Deno.test("resolveTrainConfig() defaults to the small Adam recipe and merges overrides", () => {
  const config = resolveTrainConfig({
    epochs: 2,
    learningRates: { visual: 1e-4 },
    optimizer: { beta1: 0.8 },
  });
  assert.equal(config.preset, "small");
  assert.equal(config.epochs, 2);
  assert.equal(config.optimizer.kind, "adam");
  assert.equal(config.optimizer.kind === "adam" && config.optimizer.beta1, 0.8);
  assert.equal(config.learningRates.visual, 1e-4);
  assert.equal(config.learningRates.audio, TRAIN_PRESETS.small.learningRates.audio);
});

Deno.test("resolveTrainConfig() starts from an optimizer's defaults when the kind changes", () => {
  const config = resolveTrainConfig({ preset: "paper", optimizer: { kind: "adam", weightDecay: 1e-5 } });
  assert.deepEqual(config.optimizer, {
    kind: "adam",
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    weightDecay: 1e-5,
  });
});

Deno.test("learningRatesAt() multiplies by gamma at each milestone (the paper: x0.1 at 10 and 20)", () => {
  const config = resolveTrainConfig({ preset: "paper" });
  assert.deepEqual(learningRatesAt(config, 0), { audio: 1e-3, visual: 1e-4, fusion: 1e-3 });
  assert.ok(Math.abs(learningRatesAt(config, 10).audio - 1e-4) < 1e-15);
  assert.ok(Math.abs(learningRatesAt(config, 19).fusion - 1e-4) < 1e-15);
  assert.ok(Math.abs(learningRatesAt(config, 29).audio - 1e-5) < 1e-15);
});

Deno.test("resolveTrainConfig() rejects out-of-range settings with a RangeError naming the field", async (t) => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ["zero epochs", () => resolveTrainConfig({ epochs: 0 }), /epochs must be an integer >= 1/],
    [
      "negative rate",
      () => resolveTrainConfig({ learningRates: { audio: -1 } }),
      /learningRates\.audio must be >= 0/,
    ],
    [
      "momentum 1",
      () => resolveTrainConfig({ optimizer: { kind: "sgd", momentum: 1 } }),
      /optimizer\.momentum/,
    ],
    [
      "bad optimizer",
      () => resolveTrainConfig({ optimizer: { kind: "lbfgs" as "sgd" } }),
      /optimizer\.kind must be/,
    ],
    ["unknown preset", () => resolveTrainConfig({ preset: "huge" as "small" }), /unknown preset/],
  ];
  for (const [name, run, message] of cases) {
    await t.step(
      name,
      () => assert.throws(run, (e: Error) => e instanceof RangeError && message.test(e.message)),
    );
  }
});
