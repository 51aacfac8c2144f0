/**
 * Training configs with presets: the paper's SGD recipe and a fast Adam recipe for the built-in data.
 *
 * @module
 */
import type { ModuleName } from "../models/types.ts";

/** SGD with momentum and (L2) weight decay, PyTorch semantics. */
export type SgdConfig = {
  kind: "sgd";
  /** @default 0.9 */
  momentum: number;
  /** L2 penalty added to the gradient. @default 1e-4 */
  weightDecay: number;
};

/** Adam, PyTorch semantics (L2 weight decay added to the gradient). */
export type AdamConfig = {
  kind: "adam";
  /** @default 0.9 */
  beta1: number;
  /** @default 0.999 */
  beta2: number;
  /** @default 1e-8 */
  epsilon: number;
  /** @default 0 */
  weightDecay: number;
};

/** An optimizer's settings. */
export type OptimizerConfig = SgdConfig | AdamConfig;

/** Named training recipes. */
export type TrainPreset = "small" | "paper";

/** A complete training config (what {@linkcode resolveTrainConfig} returns and checkpoints store). */
export type TrainConfig = {
  preset: TrainPreset;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  /** Base learning rate per parameter group. */
  learningRates: Record<ModuleName, number>;
  /** Epochs (0-based) from which the rates are multiplied by `gamma` once more. */
  milestones: number[];
  /** Step-schedule factor. */
  gamma: number;
  /** Training-time augmentation (passed to `split.sample`). */
  augment: boolean;
  /** Drop the last incomplete batch of each epoch (the paper's loader does). */
  dropLast: boolean;
  /** Weight of auxiliary losses (late fusion's unimodal cross-entropies); 0 turns them off. */
  auxiliaryLossWeight: number;
  /**
   * λ of the paper's dissimilarity constraint ("MinSim"): adds λ · mean cos(f_v, f_a) of the two
   * embeddings to the loss, pushing the modalities apart; 0 turns it off.
   */
  dissimilarityWeight: number;
  /** Seed of shuffling and augmentation (each epoch derives its own streams from it). */
  seed: number;
  /** Batch size for validation and test. */
  evaluationBatchSize: number;
  /**
   * Samples per forward/backward pass: a training batch larger than this is split into near-equal
   * micro-batches whose gradients are accumulated into one update of the whole batch (the loss is the
   * batch mean, as without splitting). Batch-norm layers see each micro-batch's statistics, as with
   * gradient accumulation in PyTorch; a model without batch norm gets the same update as one big batch,
   * up to float rounding. `null`: the whole batch at once.
   */
  microBatchSize: number | null;
};

/** What a caller gives; every field has a preset default. */
export type TrainConfigInput =
  & Partial<Omit<TrainConfig, "optimizer" | "learningRates" | "microBatchSize">>
  & {
    /**
     * A number, `null` (the whole batch), or `"auto"`: `trainModel` estimates a step's memory and picks the
     * largest micro-batch that fits the backend (`resolveTrainConfig` alone refuses `"auto"`).
     * @default null
     */
    microBatchSize?: number | null | "auto";
    /** Fields to override; a different `kind` starts from that optimizer's defaults. */
    optimizer?: Partial<SgdConfig> | Partial<AdamConfig>;
    learningRates?: Partial<Record<ModuleName, number>>;
  };

/** Defaults of each optimizer. */
export const OPTIMIZER_DEFAULTS: Readonly<{ sgd: SgdConfig; adam: AdamConfig }> = Object.freeze({
  sgd: { kind: "sgd", momentum: 0.9, weightDecay: 1e-4 },
  adam: { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
});

/**
 * The recipes. `paper`: SGD (momentum 0.9, weight decay 1e-4), learning rates 1e-3 for the audio net and
 * the classifier and 1e-4 for the ResNet, ×0.1 at epochs 10 and 20 of 30, batch 48. `small`: Adam at 4e-3
 * for everything, ×0.1 for the last of 6 epochs, batch 64: tuned to train `av-digits` in about a minute on
 * the wasm backend.
 */
export const TRAIN_PRESETS: Readonly<Record<TrainPreset, TrainConfig>> = Object.freeze({
  paper: {
    preset: "paper",
    epochs: 30,
    batchSize: 48,
    optimizer: OPTIMIZER_DEFAULTS.sgd,
    learningRates: { audio: 1e-3, visual: 1e-4, fusion: 1e-3 },
    milestones: [10, 20],
    gamma: 0.1,
    augment: true,
    dropLast: true,
    auxiliaryLossWeight: 1,
    dissimilarityWeight: 0,
    seed: 1234,
    evaluationBatchSize: 48,
    microBatchSize: null,
  },
  small: {
    preset: "small",
    epochs: 6,
    batchSize: 64,
    optimizer: OPTIMIZER_DEFAULTS.adam,
    learningRates: { audio: 4e-3, visual: 4e-3, fusion: 4e-3 },
    milestones: [5],
    gamma: 0.1,
    augment: true,
    dropLast: true,
    auxiliaryLossWeight: 1,
    dissimilarityWeight: 0,
    seed: 1234,
    evaluationBatchSize: 128,
    microBatchSize: null,
  },
});

function numberField(source: object | undefined, name: string): number | undefined {
  if (!source || !(name in source)) return undefined;
  const value: unknown = Reflect.get(source, name);
  return typeof value === "number" ? value : undefined;
}

function mergeOptimizer(
  base: OptimizerConfig,
  input?: Partial<SgdConfig> | Partial<AdamConfig>,
): OptimizerConfig {
  const kind = input?.kind ?? base.kind;
  if (kind === "sgd") {
    const start = base.kind === "sgd" ? base : OPTIMIZER_DEFAULTS.sgd;
    return {
      kind,
      momentum: numberField(input, "momentum") ?? start.momentum,
      weightDecay: numberField(input, "weightDecay") ?? start.weightDecay,
    };
  }
  if (kind === "adam") {
    const start = base.kind === "adam" ? base : OPTIMIZER_DEFAULTS.adam;
    return {
      kind,
      beta1: numberField(input, "beta1") ?? start.beta1,
      beta2: numberField(input, "beta2") ?? start.beta2,
      epsilon: numberField(input, "epsilon") ?? start.epsilon,
      weightDecay: numberField(input, "weightDecay") ?? start.weightDecay,
    };
  }
  throw new RangeError(`Cannot train: optimizer.kind must be 'sgd' or 'adam', current value is '${kind}'`);
}

/**
 * Fills a training config from its preset and checks it.
 *
 * @param input The caller's settings (`preset` defaults to `small`).
 * @returns A complete, fresh config.
 * @throws {RangeError} If a field is out of range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const config = resolveTrainConfig({ preset: "paper", epochs: 2, optimizer: { kind: "adam" } });
 * assert.equal(config.optimizer.kind, "adam");
 * assert.equal(config.learningRates.visual, 1e-4);
 * ```
 */
export function resolveTrainConfig(input: TrainConfigInput = {}): TrainConfig {
  const preset = input.preset ?? "small";
  const base = TRAIN_PRESETS[preset];
  if (base === undefined) throw new RangeError(`Cannot train: unknown preset '${preset}'`);
  const { optimizer: _o, learningRates: _l, microBatchSize: micro = base.microBatchSize, ...rest } = input;
  if (micro === "auto") {
    throw new RangeError(
      "Cannot train: microBatchSize 'auto' is resolved by trainModel (it measures the model); give a number or null here",
    );
  }
  const config: TrainConfig = structuredClone({
    ...base,
    ...rest,
    microBatchSize: micro,
    preset,
    optimizer: mergeOptimizer(base.optimizer, input.optimizer),
    learningRates: { ...base.learningRates, ...input.learningRates },
  });
  const fail = (field: string, rule: string, value: unknown) =>
    new RangeError(`Cannot train: ${field} must be ${rule}, current value is ${JSON.stringify(value)}`);
  for (const field of ["epochs", "batchSize", "evaluationBatchSize"] as const) {
    if (!Number.isInteger(config[field]) || config[field] < 1) {
      throw fail(field, "an integer >= 1", config[field]);
    }
  }
  if (!Number.isInteger(config.seed)) throw fail("seed", "an integer", config.seed);
  if (micro !== null && !(Number.isInteger(micro) && micro >= 1 && micro <= config.batchSize)) {
    throw fail("microBatchSize", `null or an integer in [1, batchSize = ${config.batchSize}]`, micro);
  }
  for (const [module, rate] of Object.entries(config.learningRates)) {
    if (!(rate >= 0 && Number.isFinite(rate))) throw fail(`learningRates.${module}`, ">= 0", rate);
  }
  if (!config.milestones.every((m) => Number.isInteger(m) && m >= 0)) {
    throw fail("milestones", "a list of epoch indices >= 0", config.milestones);
  }
  if (!(config.gamma > 0)) throw fail("gamma", "> 0", config.gamma);
  if (!(config.auxiliaryLossWeight >= 0)) {
    throw fail("auxiliaryLossWeight", ">= 0", config.auxiliaryLossWeight);
  }
  if (!(config.dissimilarityWeight >= 0 && Number.isFinite(config.dissimilarityWeight))) {
    throw fail("dissimilarityWeight", "a finite number >= 0", config.dissimilarityWeight);
  }
  const o = config.optimizer;
  if (!(o.weightDecay >= 0)) throw fail("optimizer.weightDecay", ">= 0", o.weightDecay);
  if (o.kind === "sgd" && !(o.momentum >= 0 && o.momentum < 1)) {
    throw fail("optimizer.momentum", "in [0, 1)", o.momentum);
  }
  if (o.kind === "adam" && !(o.beta1 >= 0 && o.beta1 < 1 && o.beta2 >= 0 && o.beta2 < 1 && o.epsilon > 0)) {
    throw fail("optimizer", "betas in [0, 1) and epsilon > 0", o);
  }
  return config;
}

/**
 * Learning rates of an epoch under the step schedule: base rate × gamma^(milestones passed).
 *
 * @param config The training config.
 * @param epoch 0-based epoch.
 * @returns The rate per parameter group.
 *
 * @example The paper's schedule
 * ```ts
 * import assert from "node:assert/strict";
 * const config = resolveTrainConfig({ preset: "paper" });
 * assert.equal(learningRatesAt(config, 9).audio, 1e-3);
 * assert.ok(Math.abs(learningRatesAt(config, 20).visual - 1e-6) < 1e-18);
 * ```
 */
export function learningRatesAt(config: TrainConfig, epoch: number): Record<ModuleName, number> {
  const passed = config.milestones.filter((m) => epoch >= m).length;
  const factor = config.gamma ** passed;
  const { audio, visual, fusion } = config.learningRates;
  return { audio: audio * factor, visual: visual * factor, fusion: fusion * factor };
}
