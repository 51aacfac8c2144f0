/**
 * The adversarial examples of the report (which model, how many samples, which attack) and the
 * overrides a request may give them (`deno task report --examples N --examples-attack NAME`).
 *
 * @module
 */
import { type AttackName, ATTACKS, type AttackSpec } from "../../attacks/mod.ts";

/** The adversarial examples of the report: one model per dataset, a few samples, one attack per setting. */
export interface ExamplePlan {
  /**
   * Model id attacked on every dataset; a dataset without it uses its first audio-visual model (none: no
   * examples). @default "av-concat"
   */
  model: string;
  /** Samples per dataset: the first test samples the model classifies correctly. @default 3 */
  samples: number;
  /** The attack, run at the plan's three settings (audio, visual, joint budgets). @default PGD (10 steps) */
  attack: AttackSpec;
}

/**
 * The default {@linkcode ExamplePlan}: 3 samples of `av-concat` under PGD at the paper's budgets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(EXAMPLE_PLAN.samples, 3);
 * ```
 */
export const EXAMPLE_PLAN: Readonly<ExamplePlan> = Object.freeze<ExamplePlan>({
  model: "av-concat",
  samples: 3,
  attack: { attack: "pgd" },
});

/**
 * The attacks the examples can show: the built-in single attacks (a composite one has no single
 * adversarial input to show), in registry order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(EXAMPLE_ATTACKS.slice(0, 4), ["fgsm", "pgd", "mim", "apgd"]);
 * ```
 */
export const EXAMPLE_ATTACKS: readonly AttackName[] = Object.freeze(
  (Object.keys(ATTACKS) as AttackName[]).filter((name) => !ATTACKS[name].composite),
);

/** Overrides of {@linkcode withExampleOverrides}. */
export interface ExampleOverrides {
  /** Samples per dataset; 0 turns the examples off. @default the plan's */
  samples?: number;
  /** One of {@linkcode EXAMPLE_ATTACKS}. @default the plan's */
  attack?: string;
}

/**
 * The plan with a request's overrides. `samples` 0 means no examples; a count or an attack on a profile
 * without examples starts from {@linkcode EXAMPLE_PLAN}. The attack's settings are the plan's own when it
 * already runs that attack, else the table study's spec of that name (e.g. the smoke profile's PGD-3), else
 * the registry's defaults; so naming the attack the plan already has keeps its examples cell.
 *
 * @param plan The profile's plan, or null for none.
 * @param tableAttacks The table study's attacks.
 * @param overrides Samples and attack.
 * @returns A fresh plan, or null for none.
 * @throws {RangeError} If `samples` is not an integer >= 0, the attack is not one of
 *   {@linkcode EXAMPLE_ATTACKS}, or an attack is given with `samples` 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(withExampleOverrides(EXAMPLE_PLAN, [], { samples: 0 }), null);
 * assert.deepEqual(withExampleOverrides(EXAMPLE_PLAN, [], { attack: "fgsm" })?.attack, { attack: "fgsm" });
 * ```
 */
export function withExampleOverrides(
  plan: Readonly<ExamplePlan> | null,
  tableAttacks: readonly AttackSpec[],
  overrides: ExampleOverrides,
): ExamplePlan | null {
  const { samples, attack } = overrides;
  if (samples !== undefined && !(Number.isSafeInteger(samples) && samples >= 0)) {
    throw new RangeError(
      `Cannot build the report: examples must be an integer >= 0, current value is ${samples}`,
    );
  }
  const name = EXAMPLE_ATTACKS.find((known) => known === attack);
  if (attack !== undefined && name === undefined) {
    throw new RangeError(
      `Cannot build the report: unknown examples attack '${attack}', known: ${EXAMPLE_ATTACKS.join(", ")}`,
    );
  }
  if (samples === 0) {
    if (attack !== undefined) {
      throw new RangeError(
        `Cannot build the report: an examples attack ('${attack}') needs examples, but examples is 0`,
      );
    }
    return null;
  }
  if (samples === undefined && attack === undefined) return plan === null ? null : structuredClone(plan);
  const base = structuredClone(plan ?? EXAMPLE_PLAN);
  const spec: AttackSpec = name === undefined || base.attack.attack === name
    ? base.attack
    : tableAttacks.find((s) => s.attack === name) ?? { attack: name };
  return { ...base, ...(samples !== undefined ? { samples } : {}), attack: structuredClone(spec) };
}
