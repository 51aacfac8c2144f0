/**
 * Named, seeded model parameters.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { Rng } from "../engine/random.ts";
import type { ModuleName } from "./types.ts";

/** How a parameter is initialised. Draws come from `rng.fork(name)`, so creation order does not matter. */
export type Initializer =
  | { kind: "heNormal"; fan: number }
  | { kind: "normal"; std: number }
  | { kind: "uniform"; bound: number }
  | { kind: "constant"; value: number };

/**
 * Creates and owns the variables of one model, by stable name (`audio/block0/conv0/kernel`) and module.
 * Each parameter is drawn from its own fork of the store's seeded stream, so a model is a pure function of
 * its config and seed. Running statistics are stored with `trainable: false`.
 *
 * @example Two stores with one seed give identical parameters
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRng, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const make = () => new ParameterStore(createRng(3)).add("w", "fusion", [2, 2], { kind: "normal", std: 1 });
 * const a = make(), b = make();
 * assert.deepEqual(await a.data(), await b.data());
 * a.dispose();
 * b.dispose();
 * ```
 */
export class ParameterStore {
  /** Every variable, by stable name, in creation order. */
  readonly variables: Map<string, tf.Variable> = new Map();
  /** Trainable variables by module. */
  readonly trainable: Record<ModuleName, tf.Variable[]> = { audio: [], visual: [], fusion: [] };
  #rng: Rng;

  /** @param rng The model's seeded stream; the store only forks it. */
  constructor(rng: Rng) {
    this.#rng = rng;
  }

  /**
   * Creates a variable.
   *
   * @param name Stable, unique name.
   * @param module The parameter group it belongs to (for per-module learning rates).
   * @param shape Its shape.
   * @param init How to initialise it.
   * @param trainable False for running statistics.
   * @returns The new variable (owned by the store).
   * @throws {RangeError} If the name is taken.
   */
  add(name: string, module: ModuleName, shape: number[], init: Initializer, trainable = true): tf.Variable {
    if (this.variables.has(name)) {
      throw new RangeError(`Cannot create parameter '${name}': the name is already taken`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    const rng = this.#rng.fork(name);
    if (init.kind === "heNormal") {
      const std = Math.sqrt(2 / init.fan);
      for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
    } else if (init.kind === "normal") {
      for (let i = 0; i < size; i++) values[i] = rng.normal() * init.std;
    } else if (init.kind === "uniform") {
      for (let i = 0; i < size; i++) values[i] = rng.range(-init.bound, init.bound);
    } else {
      values.fill(init.value);
    }
    const initial = tf.tensor(values, shape, "float32");
    const variable = tf.variable(initial, trainable);
    initial.dispose();
    this.variables.set(name, variable);
    if (trainable) this.trainable[module].push(variable);
    return variable;
  }

  /** Number of scalar parameters, trainable only or all. */
  count(trainableOnly = true): number {
    let total = 0;
    for (const variable of this.variables.values()) {
      if (!trainableOnly || variable.trainable) total += variable.size;
    }
    return total;
  }

  /** Frees every variable. */
  dispose(): void {
    for (const variable of this.variables.values()) variable.dispose();
    this.variables.clear();
  }
}
