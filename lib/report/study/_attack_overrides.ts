/**
 * Overrides of the attack plan a request may give (the notebooks' parameters): the steps of the iterative
 * attacks and the ε values of the grid. Part of `resolveReportConfig`.
 *
 * @module
 */
import { attackInfo, type AttackSpec } from "../../attacks/mod.ts";

function isAttackSpec(value: { attack: string; options?: object }): value is AttackSpec {
  return attackInfo(value.attack) !== undefined;
}

/**
 * The spec with `options.steps` set where the attack takes steps (its registry defaults have `steps`),
 * the members of a composite attack (the worst case) included; other specs come back unchanged.
 */
export function withSteps(spec: AttackSpec, steps: number): AttackSpec {
  const info = attackInfo(spec.attack);
  const options: Record<string, unknown> = { ...spec.options };
  if (info?.composite && Array.isArray(options.attacks)) {
    options.attacks = options.attacks.filter(isAttackSpec).map((member) => withSteps(member, steps));
  } else if (info !== undefined && "steps" in info.defaults) options.steps = steps;
  else return spec;
  const changed = { attack: spec.attack, options };
  return isAttackSpec(changed) ? changed : spec;
}

/**
 * The ε values of the grid: `values` sorted, duplicates dropped, 0 added (the grid's clean point).
 *
 * @throws {RangeError} If a value is negative or not finite, or none is above 0.
 */
export function epsilonValues(values: readonly number[]): number[] {
  for (const value of values) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(
        `Cannot build the report: an ε value must be a number >= 0, current value is ${value}`,
      );
    }
  }
  if (!values.some((value) => value > 0)) {
    throw new RangeError("Cannot build the report: the ε values need one above 0");
  }
  return [...new Set([0, ...values])].sort((a, b) => a - b);
}
