/**
 * Validation and set-up shared by every attack: resolves the budget per modality, the loss, the
 * targets and the per-channel scale of normalised visual budgets.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { createRng, type Rng } from "../engine/random.ts";
import type { AvBatch } from "../data/batch.ts";
import type { AvModel, Modality, ModalityEncoding } from "../models/types.ts";
import { type NormOps, NORMS } from "./_norms.ts";
import { resolveLoss } from "./losses.ts";
import { chooseTargets } from "./targets.ts";
import type { Budget, CommonAttackOptions, LossFunction } from "./types.ts";

/** One attacked modality. */
export interface ModalityState {
  /** Which input. */
  readonly name: Modality;
  /** The clean input (not owned). */
  readonly x0: tf.Tensor;
  /** ε in budget units. */
  readonly eps: number;
  /** Raw units per budget unit, broadcasting over the last axis (visual std), or null for 1. Owned. */
  readonly scale: tf.Tensor | null;
  /** Valid range. */
  readonly low: number;
  readonly high: number;
}

/** Everything an attack loop needs; {@linkcode AttackContext.dispose} frees what it owns. */
export interface AttackContext {
  readonly attack: string;
  readonly model: AvModel;
  readonly batch: AvBatch;
  readonly budget: Required<Budget>;
  readonly norm: NormOps;
  /** Attacked modalities (ε > 0 and read by the model), in the order audio, visual. */
  readonly modalities: readonly ModalityState[];
  readonly loss: LossFunction;
  /** Labels the loss is computed against: the targets when targeted. Owned when targeted. */
  readonly lossLabels: tf.Tensor1D;
  /** Target tensor (owned), or null. */
  readonly targets: tf.Tensor1D | null;
  readonly targetList: number[] | null;
  /** +1: climb the loss (untargeted); −1: descend it (targeted). */
  readonly direction: 1 | -1;
  readonly numClasses: number;
  readonly batchSize: number;
  readonly rng: Rng;
  /**
   * Encodings of the inputs the model reads but the attack leaves alone (owned), so that each step runs
   * only the attacked encoders; empty when the model has no `encode`.
   */
  readonly encoded: Partial<Record<Modality, ModalityEncoding>>;
  /** Cost so far, shared with every restricted context: gradient calls and per-sample gradients. */
  readonly counters: { calls: number; samples: number };
  dispose(): void;
}

function fail(attack: string, message: string): string {
  return `Cannot run ${attack}: ${message}`;
}

/**
 * Checks that an option is an integer >= `min`.
 *
 * @throws {RangeError} If it is not.
 */
export function checkInteger(attack: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(
      fail(attack, `options.${name} must be an integer >= ${min}, current value is ${value}`),
    );
  }
}

/**
 * Checks that an option is a finite number in [min, max].
 *
 * @throws {RangeError} If it is not.
 */
export function checkNumber(attack: string, name: string, value: number, min: number, max = Infinity): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(
      fail(attack, `options.${name} must be a number in [${min}, ${max}], current value is ${value}`),
    );
  }
}

/**
 * Checks a literal option against its allowed values.
 *
 * @throws {RangeError} If it is not one of them.
 */
export function checkChoice<T extends string>(
  attack: string,
  name: string,
  value: T,
  allowed: readonly T[],
): void {
  if (!allowed.includes(value)) {
    throw new RangeError(
      fail(
        attack,
        `options.${name} must be one of ${
          allowed.map((a) => `'${a}'`).join(", ")
        }, current value is '${value}'`,
      ),
    );
  }
}

function checkBudget(attack: string, budget: Budget): Required<Budget> {
  if (typeof budget !== "object" || budget === null) {
    throw new TypeError(fail(attack, "options.budget is required"));
  }
  if (!(budget.norm in NORMS)) {
    throw new RangeError(
      fail(attack, `budget.norm must be 'linf' or 'l2', current value is '${budget.norm}'`),
    );
  }
  const keys: ("audio" | "visual")[] = ["audio", "visual"];
  for (const key of keys) {
    const value = budget[key];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new RangeError(
        fail(attack, `budget.${key} must be a finite number >= 0, current value is ${value}`),
      );
    }
  }
  const visualUnits = budget.visualUnits ?? "pixel";
  if (visualUnits !== "pixel" && visualUnits !== "normalized") {
    throw new RangeError(
      fail(attack, `budget.visualUnits must be 'pixel' or 'normalized', current value is '${visualUnits}'`),
    );
  }
  return { norm: budget.norm, audio: budget.audio, visual: budget.visual, visualUnits };
}

function checkBatch(attack: string, model: AvModel, batch: AvBatch): void {
  const { audio, visual, labels } = batch;
  if (audio?.rank !== 2) {
    throw new TypeError(
      fail(attack, `batch.audio must be [batch, samples], current shape is [${audio?.shape}]`),
    );
  }
  if (visual?.rank !== 4) {
    throw new TypeError(
      fail(
        attack,
        `batch.visual must be [batch, height, width, channels], current shape is [${visual?.shape}]`,
      ),
    );
  }
  if (labels?.rank !== 1 || labels.dtype !== "int32") {
    throw new TypeError(
      fail(
        attack,
        `batch.labels must be an int32 [batch] tensor, current value is ${labels?.dtype} [${labels?.shape}]`,
      ),
    );
  }
  const n = labels.shape[0];
  if (audio.shape[0] !== n || visual.shape[0] !== n) {
    throw new TypeError(
      fail(
        attack,
        `audio, visual and labels must share the batch size, current sizes are ${audio.shape[0]}, ${
          visual.shape[0]
        }, ${n}`,
      ),
    );
  }
  if (!(model.config.numClasses >= 2)) {
    throw new TypeError(
      fail(attack, `model.config.numClasses must be >= 2, current value is ${model.config.numClasses}`),
    );
  }
}

async function checkRange(
  attack: string,
  name: Modality,
  x: tf.Tensor,
  low: number,
  high: number,
): Promise<void> {
  const range = tf.tidy(() => tf.stack([tf.min(x), tf.max(x)]));
  const [min = NaN, max = NaN] = await range.data();
  range.dispose();
  if (!(min >= low && max <= high)) {
    throw new RangeError(
      fail(attack, `batch.${name} must lie in [${low}, ${high}], current range is [${min}, ${max}]`),
    );
  }
}

/**
 * Validates the inputs and resolves the context. Asynchronous because it reads the labels and the
 * input ranges once.
 *
 * @throws {TypeError} For wrong shapes, dtypes or missing targets.
 * @throws {RangeError} For an invalid budget or inputs outside `model.bounds`.
 */
export async function createContext(
  attack: string,
  model: AvModel,
  batch: AvBatch,
  options: CommonAttackOptions,
): Promise<AttackContext> {
  const budget = checkBudget(attack, options?.budget);
  checkBatch(attack, model, batch);
  const { target = "none", seed = 0 } = options;
  const loss = resolveLoss(options.loss);
  const rng = createRng(seed);
  const [audioLow, audioHigh] = model.bounds.audio;
  const [visualLow, visualHigh] = model.bounds.visual;
  await checkRange(attack, "audio", batch.audio, audioLow, audioHigh);
  await checkRange(attack, "visual", batch.visual, visualLow, visualHigh);

  const numClasses = model.config.numClasses;
  const labels = await batch.labels.data();
  let cleanLogits: Float32Array | undefined;
  if (target === "leastLikely") {
    const logits = tf.tidy(() => model.apply(batch.audio, batch.visual, { training: false }).logits);
    cleanLogits = new Float32Array(await logits.data());
    logits.dispose();
  }
  const given = batch.targets ? new Int32Array(await batch.targets.data()) : undefined;
  const targetList = chooseTargets(target, {
    labels: new Int32Array(labels),
    numClasses,
    rng: rng.fork("targets"),
    ...(cleanLogits ? { cleanLogits } : {}),
    ...(given ? { given } : {}),
  });

  const channels = batch.visual.shape[3];
  const owned: tf.Tensor[] = [];
  const modalities: ModalityState[] = [];
  const reads = new Set(model.modalities);
  if (budget.audio > 0 && reads.has("audio")) {
    modalities.push({
      name: "audio",
      x0: batch.audio,
      eps: budget.audio,
      scale: null,
      low: audioLow,
      high: audioHigh,
    });
  }
  if (budget.visual > 0 && reads.has("visual")) {
    let scale: tf.Tensor | null = null;
    if (budget.visualUnits === "normalized") {
      const { std } = model.visualNormalization;
      if (std.length !== channels && std.length !== 1) {
        throw new TypeError(
          fail(
            attack,
            `model.visualNormalization.std must have ${channels} values for a normalised budget, current length is ${std.length}`,
          ),
        );
      }
      scale = tf.tensor1d(std.length === 1 ? Array.from({ length: channels }, () => std[0] ?? 1) : [...std]);
      owned.push(scale);
    }
    modalities.push({
      name: "visual",
      x0: batch.visual,
      eps: budget.visual,
      scale,
      low: visualLow,
      high: visualHigh,
    });
  }
  const targets = targetList ? tf.tensor1d(targetList, "int32") : null;
  if (targets) owned.push(targets);
  const encoded: Partial<Record<Modality, ModalityEncoding>> = {};
  if (model.encode && modalities.length > 0) {
    for (const name of model.modalities) {
      if (modalities.some((m) => m.name === name)) continue;
      const encoding = model.encode(name, name === "audio" ? batch.audio : batch.visual);
      owned.push(encoding.features, ...(encoding.map ? [encoding.map] : []));
      encoded[name] = encoding;
    }
  }
  return {
    attack,
    model,
    batch,
    budget,
    norm: NORMS[budget.norm],
    modalities,
    loss,
    lossLabels: targets ?? batch.labels,
    targets,
    targetList,
    direction: targets ? -1 : 1,
    numClasses,
    batchSize: labels.length,
    rng,
    encoded,
    counters: { calls: 0, samples: 0 },
    dispose: () => tf.dispose(owned),
  };
}

/**
 * The context restricted to some rows of the batch (sorted indices into `ctx`'s batch). Shares the
 * counters and the scale; owns the gathered tensors. The full row list returns `ctx` itself with a
 * no-op dispose.
 */
export function restrictContext(ctx: AttackContext, rows: readonly number[]): AttackContext {
  if (rows.length === ctx.batchSize) return { ...ctx, dispose() {} };
  const owned: tf.Tensor[] = [];
  const index = tf.tensor1d([...rows], "int32");
  const gather = <T extends tf.Tensor>(t: T): T => {
    const out = tf.gather(t, index);
    owned.push(out);
    return out;
  };
  const targets = ctx.targets ? gather(ctx.targets) : null;
  const batch: AvBatch = {
    audio: gather(ctx.batch.audio),
    visual: gather(ctx.batch.visual),
    labels: gather(ctx.batch.labels),
    ...(targets ? { targets } : {}),
  };
  const encoded: Partial<Record<Modality, ModalityEncoding>> = {};
  for (const [name, encoding] of Object.entries(ctx.encoded) as [Modality, ModalityEncoding][]) {
    encoded[name] = { features: gather(encoding.features), map: encoding.map ? gather(encoding.map) : null };
  }
  index.dispose();
  return {
    ...ctx,
    batch,
    encoded,
    modalities: ctx.modalities.map((m) => ({ ...m, x0: m.name === "audio" ? batch.audio : batch.visual })),
    lossLabels: targets ?? batch.labels,
    targets,
    targetList: ctx.targetList ? rows.map((r) => ctx.targetList?.[r] ?? 0) : null,
    batchSize: rows.length,
    dispose: () => tf.dispose(owned),
  };
}
