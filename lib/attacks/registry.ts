/**
 * The attack registry: each attack's runner and metadata in one table, specs as data, and one
 * dispatcher. Adding an attack is one file plus one entry here (or {@linkcode registerAttack} for an
 * attack of your own); nothing else lists attack names.
 *
 * @module
 */
import type { AvBatch } from "../data/batch.ts";
import type { AvModel } from "../models/types.ts";
import { labelWith } from "./_spec_label.ts";
import { combineAttacks, type WorstCaseResult } from "./_worst_case.ts";
import { apgd, APGD_DEFAULTS, type ApgdOptions } from "./apgd.ts";
import { fgsm, FGSM_DEFAULTS, type FgsmOptions } from "./fgsm.ts";
import { mim, MIM_DEFAULTS, type MimOptions } from "./mim.ts";
import { pgd, PGD_DEFAULTS, type PgdOptions } from "./pgd.ts";
import { square, SQUARE_DEFAULTS, type SquareOptions } from "./square.ts";
import type {
  AttackEntry,
  AttackInfo,
  AttackResult,
  Budget,
  CommonAttackOptions,
  LossName,
} from "./types.ts";

/** Options of {@linkcode worstCase}. */
export interface WorstCaseOptions {
  /** The attacks, run in order (cheap ones first saves time). */
  attacks: AttackSpec[];
  /** The budget every attack gets. */
  budget: Budget;
  /** Replaces every member's seed (sweeps set it per batch). @default each member keeps its own */
  seed?: number;
  /** Called after each attack with its label and the robust accuracy so far. */
  onProgress?: (event: { attack: string; index: number; robustAccuracy: number }) => void;
}

/** Options of each built-in attack, budget included. */
export interface AttackOptionsMap {
  fgsm: FgsmOptions;
  pgd: PgdOptions;
  mim: MimOptions;
  apgd: ApgdOptions;
  square: SquareOptions;
  worstCase: WorstCaseOptions;
}

/** Names of the built-in attacks. */
export type AttackName = keyof AttackOptionsMap;

/** An attack's options without the budget (the call to {@linkcode runAttack} supplies it). */
export type SpecOptions<K extends AttackName> = Omit<AttackOptionsMap[K], "budget">;

declare const USER_ATTACK: unique symbol;
/** The name of an attack added with {@linkcode registerAttack} (a plain string at run time). */
export type UserAttackName = string & { readonly [USER_ATTACK]: true };

/** Options of an attack added with {@linkcode registerAttack}: the common ones plus its own. */
export type UserAttackOptions = CommonAttackOptions & Readonly<Record<string, unknown>>;

/** A spec of an attack added with {@linkcode registerAttack}; build it with the function that returns. */
export interface UserAttackSpec {
  attack: UserAttackName;
  options?: Readonly<Record<string, unknown>>;
}

/**
 * One attack as data: a name and its options (never a budget). JSON-serialisable when the loss is a
 * built-in name. `worstCase` lists further specs in `options.attacks`.
 */
export type AttackSpec =
  | { [K in AttackName]: { attack: K; options?: SpecOptions<K> } }[AttackName]
  | UserAttackSpec;

function runWorstCase(model: AvModel, batch: AvBatch, options: WorstCaseOptions): Promise<WorstCaseResult> {
  return combineAttacks(model, batch, options, {
    run: (sub, spec, seed) =>
      runAttack(model, sub, seed === undefined ? spec : withSeed(spec, seed), options.budget),
    label: (spec) => labelWith(attackInfo, spec),
  });
}

const GRADIENT_LOSSES: readonly LossName[] = Object.freeze(["crossEntropy", "margin", "crossEntropyCosine"]);
const COMMON_DEFAULTS = Object.freeze({ target: "none", loss: "crossEntropy", seed: 0 });

/**
 * The built-in attacks in preference order, each with its runner (the shared signature
 * `(model, batch, options)`) and metadata.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(Object.keys(ATTACKS), ["fgsm", "pgd", "mim", "apgd", "square", "worstCase"]);
 * assert.equal(ATTACKS.pgd.iterative, true);
 * assert.equal(ATTACKS.pgd.defaults.steps, 10);
 * assert.equal(ATTACKS.square.gradientFree, true);
 * ```
 */
export const ATTACKS: Readonly<{ [K in AttackName]: AttackEntry<AttackOptionsMap[K]> }> = Object.freeze({
  fgsm: {
    run: fgsm,
    defaults: Object.freeze({ ...COMMON_DEFAULTS, ...FGSM_DEFAULTS }),
    iterative: false,
    gradientFree: false,
    losses: GRADIENT_LOSSES,
    description: "FGSM: one signed-gradient step of size ε (Goodfellow et al., 2015)",
  },
  pgd: {
    run: pgd,
    defaults: Object.freeze({ ...COMMON_DEFAULTS, ...PGD_DEFAULTS }),
    iterative: true,
    gradientFree: false,
    losses: GRADIENT_LOSSES,
    description: "PGD: projected gradient steps inside the ε-ball (Madry et al., 2018)",
  },
  mim: {
    run: mim,
    defaults: Object.freeze({ ...COMMON_DEFAULTS, ...MIM_DEFAULTS }),
    iterative: true,
    gradientFree: false,
    losses: GRADIENT_LOSSES,
    description: "MIM: gradient steps with momentum (Dong et al., 2018)",
  },
  apgd: {
    run: apgd,
    defaults: Object.freeze({ ...COMMON_DEFAULTS, ...APGD_DEFAULTS }),
    iterative: true,
    gradientFree: false,
    losses: GRADIENT_LOSSES,
    description: "APGD: step-size-free PGD with momentum and restarts (Croce & Hein, 2020)",
  },
  square: {
    run: square,
    defaults: Object.freeze({ ...COMMON_DEFAULTS, ...SQUARE_DEFAULTS }),
    iterative: true,
    gradientFree: true,
    losses: GRADIENT_LOSSES,
    description:
      "Square: score-based random search over squares and windows at the ε-ball's corners (Andriushchenko et al., 2020)",
  },
  worstCase: {
    run: runWorstCase,
    defaults: Object.freeze({}),
    iterative: true,
    gradientFree: false,
    losses: Object.freeze([]),
    composite: true,
    description: "the per-sample worst case over several attacks (AutoAttack's ensemble)",
  },
});

const USER_ATTACKS = new Map<string, AttackEntry<UserAttackOptions>>();

function isUserName(name: string): name is UserAttackName {
  return USER_ATTACKS.has(name);
}

function isBuiltinName(name: unknown): name is AttackName {
  return typeof name === "string" && Object.hasOwn(ATTACKS, name);
}

/**
 * Adds an attack of your own to the registry, keyed by a string name. It then runs through
 * {@linkcode runAttack}, sweeps and reports like a built-in one.
 *
 * @param name The attack's name in specs and records.
 * @param entry Its runner (the shared signature) and metadata.
 * @returns A function that builds specs of the attack.
 * @throws {RangeError} If the name is taken.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fgsm } from "./fgsm.ts";
 * const halfFgsm = registerAttack("halfFgsm", {
 *   ...ATTACKS.fgsm,
 *   run: (model, batch, options) =>
 *     fgsm(model, batch, { ...options, budget: { ...options.budget, audio: options.budget.audio / 2 } }),
 *   description: "FGSM at half the audio budget",
 * });
 * assert.deepEqual(halfFgsm({ seed: 1 }), { attack: "halfFgsm", options: { seed: 1 } });
 * assert.equal(attackInfo("halfFgsm")?.iterative, false);
 * ```
 */
export function registerAttack(
  name: string,
  entry: AttackEntry<UserAttackOptions>,
): (options?: Readonly<Record<string, unknown>>) => UserAttackSpec {
  if (
    typeof name !== "string" || name.length === 0 || name === "none" || isBuiltinName(name) ||
    USER_ATTACKS.has(name)
  ) {
    throw new RangeError(
      `Cannot register attack: the name must be new and not 'none', current value is '${name}'`,
    );
  }
  USER_ATTACKS.set(name, Object.freeze({ ...entry }));
  if (!isUserName(name)) throw new RangeError(`Cannot register attack '${name}'`);
  return (options) => (options === undefined ? { attack: name } : { attack: name, options });
}

/**
 * The metadata of a registered attack (built-in or added), or undefined for an unknown name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(attackInfo("worstCase")?.composite, true);
 * assert.equal(attackInfo("cw"), undefined);
 * ```
 */
export function attackInfo(name: string): AttackInfo | undefined {
  return isBuiltinName(name) ? ATTACKS[name] : USER_ATTACKS.get(name);
}

/**
 * Names of every registered attack in registry order: the built-ins, then added ones.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(attackNames().slice(0, 2), ["fgsm", "pgd"]);
 * ```
 */
export function attackNames(): string[] {
  return [...Object.keys(ATTACKS), ...USER_ATTACKS.keys()];
}

/** Any entry seen through its shared signature (each attack's options include a budget). */
interface Runnable {
  run(model: AvModel, batch: AvBatch, options: { budget: Budget }): Promise<AttackResult>;
}

function runnable(name: string): Runnable | undefined {
  return isBuiltinName(name) ? ATTACKS[name] : USER_ATTACKS.get(name);
}

function isAttackSpec(value: { attack: string; options?: object }): value is AttackSpec {
  return runnable(value.attack) !== undefined;
}

/**
 * The spec with `options.seed` replaced (a worst case passes it on to every member).
 *
 * @throws {RangeError} If the name is not registered.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(withSeed({ attack: "pgd", options: { steps: 3 } }, 7), { attack: "pgd", options: { steps: 3, seed: 7 } });
 * ```
 */
export function withSeed(spec: AttackSpec, seed: number): AttackSpec {
  const seeded = { attack: spec.attack, options: { ...spec.options, seed } };
  if (!isAttackSpec(seeded)) throw new RangeError(`Cannot seed attack: unknown name '${spec.attack}'`);
  return seeded;
}

/**
 * Runs the attack a spec names (a table lookup).
 *
 * @param model The model.
 * @param batch Clean inputs; not disposed.
 * @param spec The attack and its options.
 * @param budget The threat model (the one source of the budget).
 * @returns The attack's result.
 * @throws {RangeError} If the name is unknown, the budget is missing or the attack does not take the loss.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * import { linearModel, linearBatch } from "../models/toy_models.ts";
 * await useBackend("cpu");
 * const model = linearModel({ seed: 1 });
 * const batch = linearBatch(model, { seed: 2 });
 * const result = await runAttack(model, batch, { attack: "pgd", options: { steps: 3 } }, { norm: "l2", audio: 0.1, visual: 0 });
 * assert.equal(result.gradientCalls, 3);
 * ```
 */
export async function runAttack(
  model: AvModel,
  batch: AvBatch,
  spec: AttackSpec,
  budget: Budget,
): Promise<AttackResult> {
  const info = typeof spec?.attack === "string" ? attackInfo(spec.attack) : undefined;
  if (!info) {
    throw new RangeError(
      `Cannot run attack: it must be one of ${attackNames().join(", ")}, current value is '${spec?.attack}'`,
    );
  }
  if (!budget) throw new RangeError(`Cannot run ${spec.attack}: a budget is required`);
  const loss = spec.options && "loss" in spec.options ? spec.options.loss : undefined;
  if (typeof loss === "string" && !info.losses.some((name) => name === loss)) {
    throw new RangeError(
      `Cannot run ${spec.attack}: options.loss must be one of ${
        info.losses.join(", ") || "(none)"
      }, current value is '${loss}'`,
    );
  }
  const entry = runnable(spec.attack);
  if (!entry) throw new RangeError(`Cannot run attack: unknown name '${spec.attack}'`);
  return await entry.run(model, batch, { ...spec.options, budget });
}
