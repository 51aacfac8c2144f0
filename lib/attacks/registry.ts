/**
 * The attack registry: attacks by name, specs as data, and one dispatcher.
 *
 * @module
 */
import type { AvBatch } from "../data/batch.ts";
import type { AvModel } from "../models/types.ts";
import { apgd, APGD_DEFAULTS, type ApgdOptions } from "./apgd.ts";
import { fgsm, FGSM_DEFAULTS, type FgsmOptions } from "./fgsm.ts";
import { lossId } from "./losses.ts";
import { mim, MIM_DEFAULTS, type MimOptions } from "./mim.ts";
import { pgd, PGD_DEFAULTS, type PgdOptions } from "./pgd.ts";
import type { AttackResult, Budget } from "./types.ts";

/** Options of each registered attack. */
export interface AttackOptionsMap {
  fgsm: FgsmOptions;
  pgd: PgdOptions;
  mim: MimOptions;
  apgd: ApgdOptions;
}

/** Names of the registered attacks. */
export type AttackName = keyof AttackOptionsMap;

/** An attack's options with the budget optional (a sweep or {@linkcode worstCase} supplies it). */
export type SpecOptions<K extends AttackName> = Omit<AttackOptionsMap[K], "budget"> & { budget?: Budget };

/** One attack as data: a name and its options. JSON-serialisable when the loss is a built-in name. */
export type AttackSpec = { [K in AttackName]: { attack: K; options?: SpecOptions<K> } }[AttackName];

type Runner<K extends AttackName> = (
  model: AvModel,
  batch: AvBatch,
  options: SpecOptions<K> | undefined,
  budget: Budget,
) => Promise<AttackResult>;

const RUNNERS: { [K in AttackName]: Runner<K> } = {
  fgsm: (model, batch, options, budget) => fgsm(model, batch, { ...options, budget }),
  pgd: (model, batch, options, budget) => pgd(model, batch, { ...options, budget }),
  mim: (model, batch, options, budget) => mim(model, batch, { ...options, budget }),
  apgd: (model, batch, options, budget) => apgd(model, batch, { ...options, budget }),
};

/**
 * The registered attacks by name, each with the shared signature `(model, batch, options)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(Object.keys(ATTACKS), ["fgsm", "pgd", "mim", "apgd"]);
 * ```
 */
export const ATTACKS: Readonly<
  {
    [K in AttackName]: (
      model: AvModel,
      batch: AvBatch,
      options: AttackOptionsMap[K],
    ) => Promise<AttackResult>;
  }
> = Object.freeze({ fgsm, pgd, mim, apgd });

/** Defaults of every option of each attack (common ones included), as cached and reported. */
export const ATTACK_DEFAULTS: Readonly<{ [K in AttackName]: Readonly<Record<string, unknown>> }> = Object
  .freeze({
    fgsm: FGSM_DEFAULTS,
    pgd: PGD_DEFAULTS,
    mim: MIM_DEFAULTS,
    apgd: APGD_DEFAULTS,
  });

const COMMON_DEFAULTS = Object.freeze({ target: "none", loss: "crossEntropy", seed: 0 });

function dispatch<K extends AttackName>(
  model: AvModel,
  batch: AvBatch,
  spec: { attack: K; options?: SpecOptions<K> },
  budget: Budget,
): Promise<AttackResult> {
  const runner: Runner<K> = RUNNERS[spec.attack];
  return runner(model, batch, spec.options, budget);
}

/**
 * Runs the attack a spec names.
 *
 * @param model The model.
 * @param batch Clean inputs; not disposed.
 * @param spec The attack and its options.
 * @param budget Overrides `spec.options.budget` (sweeps pass it here).
 * @returns The attack's result.
 * @throws {RangeError} If neither the spec nor the call gives a budget, or the name is unknown.
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
  budget?: Budget,
): Promise<AttackResult> {
  if (!(spec?.attack in RUNNERS)) {
    throw new RangeError(
      `Cannot run attack: it must be one of ${
        Object.keys(RUNNERS).join(", ")
      }, current value is '${spec?.attack}'`,
    );
  }
  const chosen = budget ?? spec.options?.budget;
  if (!chosen) {
    throw new RangeError(`Cannot run ${spec.attack}: a budget is required (in the spec or the call)`);
  }
  return await dispatch(model, batch, spec, chosen);
}

/** A spec with every option resolved to its value (budget left out, the loss as its id), for hashing. */
export interface ResolvedSpec {
  attack: AttackName;
  options: Record<string, unknown>;
}

/**
 * Resolves a spec's options against the defaults, for cache keys and reports.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(resolveSpec({ attack: "pgd" }).options.steps, 10);
 * ```
 */
export function resolveSpec(spec: AttackSpec): ResolvedSpec {
  const { budget: _budget, loss, ...rest } = spec.options ?? {};
  return {
    attack: spec.attack,
    options: { ...COMMON_DEFAULTS, ...ATTACK_DEFAULTS[spec.attack], ...rest, loss: lossId(loss) },
  };
}

/**
 * A short label: the name plus every option that differs from its default, e.g. `mim(projection=asReleased)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(specLabel({ attack: "pgd", options: { steps: 20 } }), "pgd(steps=20)");
 * ```
 */
export function specLabel(spec: AttackSpec): string {
  const resolved = resolveSpec(spec).options;
  const defaults: Record<string, unknown> = { ...COMMON_DEFAULTS, ...ATTACK_DEFAULTS[spec.attack] };
  const changed = Object.keys(resolved)
    .filter((key) => resolved[key] !== defaults[key])
    .sort()
    .map((key) => `${key}=${String(resolved[key])}`);
  return changed.length ? `${spec.attack}(${changed.join(",")})` : spec.attack;
}
