/**
 * The adaptive attacks of the defense study: end-to-end white-box PGD and APGD with three losses, BPDA
 * through the linear and identity surrogates, transfer from the undefended base model, and Square.
 *
 * @module
 */
import type { AttackSpec, LossName } from "../../attacks/mod.ts";
import type { DefensePlan } from "./defense_plan.ts";

/** Which model an attack differentiates (or queries): the defense itself, a BPDA surrogate, or the base. */
export type AttackSource = "defended" | "linear" | "identity" | "base";

/** One attack of the battery. */
export interface PlannedAttack {
  /** Display label, e.g. `APGD margin` or `BPDA linear PGD CE`. */
  label: string;
  /** The model the attack runs on (its forward pass is the defended one except for `base`). */
  source: AttackSource;
  /** Gradient-free (Square). */
  gradientFree: boolean;
  /** The registered attack. */
  spec: AttackSpec;
}

const LOSSES: readonly [LossName, string][] = [["crossEntropy", "CE"], ["margin", "margin"], [
  "crossEntropyCosine",
  "CE+cos",
]];

/**
 * The battery for one model. `full`: PGD (random start) and APGD with each loss (CE, margin, CE + cos)
 * end to end, BPDA PGD through both surrogates (memory defenses only), transfer PGD from the base model,
 * Square. Otherwise (the other budgets of the default plan, ablations): APGD with CE and with the margin
 * loss, and BPDA linear (memory defenses).
 *
 * @param plan Steps, restarts, queries.
 * @param options Whether the model has memory banks, and the full or the reduced battery.
 * @returns The attacks, gradient-based first.
 */
export function attackBattery(
  plan: Pick<DefensePlan, "steps" | "restarts" | "squareQueries">,
  options: { memory: boolean; full: boolean },
): PlannedAttack[] {
  const { steps, restarts } = plan;
  const pgd = (loss: LossName): AttackSpec => ({
    attack: "pgd",
    options: { steps, restarts, randomStart: true, relativeStepSize: 0.25, loss },
  });
  const out: PlannedAttack[] = [];
  for (const [loss, name] of LOSSES) {
    if (!options.full && loss === "crossEntropyCosine") continue;
    if (options.full) {
      out.push({ label: `PGD ${name}`, source: "defended", gradientFree: false, spec: pgd(loss) });
    }
    out.push({
      label: `APGD ${name}`,
      source: "defended",
      gradientFree: false,
      spec: { attack: "apgd", options: { steps, restarts, loss } },
    });
  }
  if (options.memory) {
    const surrogates: AttackSource[] = options.full ? ["linear", "identity"] : ["linear"];
    for (const source of surrogates) {
      out.push({ label: `BPDA ${source} PGD CE`, source, gradientFree: false, spec: pgd("crossEntropy") });
    }
  }
  if (options.full) {
    out.push({ label: "transfer PGD CE", source: "base", gradientFree: false, spec: pgd("crossEntropy") });
    out.push({
      label: "Square",
      source: "defended",
      gradientFree: true,
      spec: { attack: "square", options: { queries: plan.squareQueries } },
    });
  }
  return out;
}
