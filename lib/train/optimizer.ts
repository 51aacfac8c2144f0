/**
 * SGD with momentum and Adam over a model's parameter groups, with per-group learning rates and
 * checkpointable state.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvModel, ModuleName } from "../models/types.ts";
import type { OptimizerConfig } from "./config.ts";

/** An optimizer bound to one model's trainable variables. */
export interface Optimizer {
  readonly config: OptimizerConfig;
  /** Updates taken so far (Adam's bias correction uses it). */
  iterations: number;
  /** State variables (momentum buffers, Adam moments) by stable name `optimizer/<variable>/<slot>`. */
  readonly slots: ReadonlyMap<string, tf.Variable>;
  /**
   * Applies one update.
   * @param grads Gradients by `variable.name` (as `tf.variableGrads` returns them); not disposed.
   * @param learningRates Rate per parameter group.
   */
  apply(grads: tf.NamedTensorMap, learningRates: Readonly<Record<ModuleName, number>>): void;
  /** Frees the state variables. */
  dispose(): void;
}

interface Entry {
  variable: tf.Variable;
  module: ModuleName;
  slots: tf.Variable[];
}

/**
 * Creates an optimizer with PyTorch's update rules. SGD: `g ← ∇ + λp; b ← μb + g; p ← p − ηb`.
 * Adam: `g ← ∇ + λp; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * p ← p − η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)`.
 * Variables without a gradient are left as they are.
 *
 * @param model The model whose `trainable` groups are optimised.
 * @param config The optimizer settings.
 * @returns The optimizer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const w = tf.variable(tf.scalar(1));
 * const model = { trainable: { audio: [w], visual: [], fusion: [] }, variables: new Map([["w", w]]) };
 * const sgd = createOptimizer(model, { kind: "sgd", momentum: 0, weightDecay: 0 });
 * sgd.apply({ [w.name]: tf.scalar(2) }, { audio: 0.5, visual: 0, fusion: 0 });
 * assert.equal((await w.data())[0], 0);
 * ```
 */
export function createOptimizer(
  model: Pick<AvModel, "trainable" | "variables">,
  config: OptimizerConfig,
): Optimizer {
  const names = new Map<tf.Variable, string>();
  for (const [name, variable] of model.variables) names.set(variable, name);
  const slots = new Map<string, tf.Variable>();
  const slotNames = config.kind === "sgd" ? ["momentum"] : ["m", "v"];
  const entries: Entry[] = [];
  for (const module of ["audio", "visual", "fusion"] as const) {
    for (const variable of model.trainable[module]) {
      const name = names.get(variable) ?? variable.name;
      const own = slotNames.map((slot) => {
        const zeros = tf.zerosLike(variable);
        const state = tf.variable(zeros, false);
        zeros.dispose();
        slots.set(`optimizer/${name}/${slot}`, state);
        return state;
      });
      entries.push({ variable, module, slots: own });
    }
  }

  const optimizer: Optimizer = {
    config,
    iterations: 0,
    slots,
    apply(grads, learningRates) {
      const t = optimizer.iterations + 1;
      tf.tidy(() => {
        for (const { variable, module, slots: [first, second] } of entries) {
          const grad = grads[variable.name];
          const rate = learningRates[module];
          if (!grad || !first) continue;
          const g = config.weightDecay > 0 ? tf.add(grad, tf.mul(variable, config.weightDecay)) : grad;
          if (config.kind === "sgd") {
            const buffer = config.momentum > 0 ? tf.add(tf.mul(first, config.momentum), g) : g;
            if (config.momentum > 0) first.assign(buffer);
            variable.assign(tf.sub(variable, tf.mul(buffer, rate)));
          } else if (second) {
            const { beta1, beta2, epsilon } = config;
            const m = tf.add(tf.mul(first, beta1), tf.mul(g, 1 - beta1));
            const v = tf.add(tf.mul(second, beta2), tf.mul(tf.square(g), 1 - beta2));
            first.assign(m);
            second.assign(v);
            const denominator = tf.add(tf.div(tf.sqrt(v), Math.sqrt(1 - beta2 ** t)), epsilon);
            variable.assign(tf.sub(variable, tf.mul(tf.div(m, denominator), rate / (1 - beta1 ** t))));
          }
        }
      });
      optimizer.iterations = t;
    },
    dispose() {
      for (const state of slots.values()) state.dispose();
      slots.clear();
    },
  };
  return optimizer;
}
