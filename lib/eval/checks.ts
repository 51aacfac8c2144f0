/**
 * Sanity checks after every attack, in the spirit of AutoAttack's `checks.py`: pure functions of
 * measured numbers, each returning `{ id, ok, detail }`. A failed check is a flag shown with the
 * results, never an exception. `CHECK_DOCS` (check_docs.ts) explains every id for the report.
 *
 * @module
 */
import { attackInfo } from "../attacks/registry.ts";
import type { CheckResult, EvalRecord } from "./types.ts";

/**
 * Perturbation within budget: the largest per-sample size per modality against ε.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(checkBudget({ audio: 0.0121, visual: 0 }, { audio: 0.012, visual: 0 }).ok, false);
 * ```
 */
export function checkBudget(
  largest: { audio: number; visual: number },
  epsilon: { audio: number; visual: number },
  tolerance = 1e-5,
): CheckResult {
  const over = MODALITIES.filter((m) => largest[m] > epsilon[m] * (1 + tolerance) + 1e-6);
  return {
    id: "budget",
    ok: over.length === 0,
    detail: over.length === 0
      ? `largest perturbation audio ${fmt(largest.audio)} <= ${epsilon.audio}, visual ${
        fmt(largest.visual)
      } <= ${epsilon.visual}`
      : over.map((m) => `${m} perturbation ${fmt(largest[m])} exceeds ε = ${epsilon[m]}`).join("; "),
  };
}

/**
 * Attacked inputs within the valid range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(checkRange({ audio: [-1, 1], visual: [0, 1.01] }, { audio: [-1, 1], visual: [0, 1] }).ok, false);
 * ```
 */
export function checkRange(
  range: { audio: readonly [number, number]; visual: readonly [number, number] },
  bounds: { audio: readonly [number, number]; visual: readonly [number, number] },
): CheckResult {
  const bad = MODALITIES.filter((m) => !(range[m][0] >= bounds[m][0] && range[m][1] <= bounds[m][1]));
  return {
    id: "range",
    ok: bad.length === 0,
    detail: MODALITIES
      .map((m) =>
        `${m} in [${fmt(range[m][0])}, ${fmt(range[m][1])}] (bounds [${bounds[m][0]}, ${bounds[m][1]}])`
      )
      .join(", "),
  };
}

/**
 * No NaN or infinity in attacked inputs and logits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(checkFinite(0).ok, true);
 * ```
 */
export function checkFinite(nonFinite: number): CheckResult {
  return {
    id: "finite",
    ok: nonFinite === 0,
    detail: `${nonFinite} NaN or infinite values in attacked inputs and logits`,
  };
}

/**
 * The attack raised its (untargeted) loss on average.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(checkLossIncrease(1.2, 0.9).ok, false);
 * ```
 */
export function checkLossIncrease(startMean: number, finalMean: number): CheckResult {
  return {
    id: "loss-increase",
    ok: finalMean >= startMean - 1e-6,
    detail: `mean loss ${fmt(startMean)} at the start, ${fmt(finalMean)} at the end`,
  };
}

/**
 * A zero budget leaves clean accuracy unchanged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(checkZeroBudget(0.9, 0.9).ok, true);
 * ```
 */
export function checkZeroBudget(cleanAccuracy: number, robustAccuracy: number): CheckResult {
  return {
    id: "zero-budget",
    ok: Math.abs(cleanAccuracy - robustAccuracy) < 1e-9,
    detail: `clean accuracy ${fmt(cleanAccuracy)}, accuracy under a zero budget ${fmt(robustAccuracy)}`,
  };
}

/**
 * Input gradients are not exactly zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(checkZeroGradient(3, 100).ok, false);
 * ```
 */
export function checkZeroGradient(zeroSamples: number, samples: number): CheckResult {
  return {
    id: "zero-gradient",
    ok: zeroSamples === 0,
    detail: `${zeroSamples} of ${samples} correctly classified samples have an all-zero input gradient`,
  };
}

/**
 * Two forward passes agree.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(checkDeterministic(0).ok, true);
 * ```
 */
export function checkDeterministic(maxLogitDifference: number, tolerance = 1e-5): CheckResult {
  return {
    id: "deterministic",
    ok: maxLogitDifference <= tolerance,
    detail: `largest logit difference between two forward passes ${fmt(maxLogitDifference)}`,
  };
}

/**
 * The outputs are not probabilities.
 *
 * @param logits Row-major `[rows, numClasses]` outputs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(checkLogits([0.2, 0.8, 0.5, 0.5], 2).ok, false);
 * assert.equal(checkLogits([2, -1, 0.5, 3], 2).ok, true);
 * ```
 */
export function checkLogits(logits: ArrayLike<number>, numClasses: number): CheckResult {
  const rows = Math.floor(logits.length / numClasses);
  let probabilities = rows > 0;
  for (let r = 0; r < rows && probabilities; r++) {
    let sum = 0;
    for (let k = 0; k < numClasses; k++) {
      const v = logits[r * numClasses + k] ?? NaN;
      if (!(v >= 0 && v <= 1)) probabilities = false;
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) probabilities = false;
  }
  return {
    id: "logits",
    ok: !probabilities,
    detail: probabilities
      ? `all ${rows} output rows lie in [0, 1] and sum to 1`
      : "outputs are unnormalised logits",
  };
}

/** A cross-record check's verdict on one record, by its `configHash`. */
export interface RecordCheck {
  configHash: string;
  check: CheckResult;
}

function groupBy(records: readonly EvalRecord[], key: (r: EvalRecord) => string): Map<string, EvalRecord[]> {
  const groups = new Map<string, EvalRecord[]>();
  for (const r of records) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return groups;
}

const cellGroup = (r: EvalRecord) =>
  [r.dataset, r.model, r.norm, r.visualUnits, r.target, r.epsAudio, r.epsVisual].join("|");

/**
 * Iterative attacks are not weaker than one-step ones (FGSM) at the same budget (per dataset, model and
 * budget). Which attacks are which comes from the registry's metadata (`iterative`; composite attacks
 * are left to {@linkcode checkEnsemble}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(checkStrongerWeaker([]), []);
 * ```
 */
export function checkStrongerWeaker(records: readonly EvalRecord[]): RecordCheck[] {
  const out: RecordCheck[] = [];
  const single = (r: EvalRecord) => attackInfo(r.attack)?.composite !== true;
  const iterative = (r: EvalRecord) => attackInfo(r.attack)?.iterative;
  for (const group of groupBy(records, cellGroup).values()) {
    const weak = group.find((r) => single(r) && iterative(r) === false);
    if (!weak || weak.budgetKind === "clean") continue;
    for (const strong of group.filter((r) => single(r) && iterative(r) === true)) {
      const slack = 1 / Math.max(strong.n, 1);
      out.push({
        configHash: strong.configHash,
        check: {
          id: "stronger-weaker",
          ok: strong.robustAccuracy <= weak.robustAccuracy + slack + 1e-9,
          detail: `${strong.attackLabel} robust accuracy ${
            fmt(strong.robustAccuracy)
          } vs ${weak.attackLabel} ${fmt(weak.robustAccuracy)}`,
        },
      });
    }
  }
  return out;
}

/**
 * Robust accuracy does not rise with ε along one attack and direction (audio-only, visual-only or
 * joint with a fixed ratio ε_v/ε_a).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(checkMonotoneEpsilon([]), []);
 * ```
 */
export function checkMonotoneEpsilon(records: readonly EvalRecord[]): RecordCheck[] {
  const out: RecordCheck[] = [];
  const direction = (r: EvalRecord) =>
    r.budgetKind === "joint" ? `joint:${(r.epsVisual / r.epsAudio).toPrecision(6)}` : r.budgetKind;
  const key = (r: EvalRecord) =>
    [r.dataset, r.model, r.attackLabel, r.norm, r.visualUnits, r.target, direction(r)].join("|");
  for (const group of groupBy(records.filter((r) => r.budgetKind !== "clean"), key).values()) {
    const sorted = [...group].sort((a, b) => a.epsAudio + a.epsVisual - (b.epsAudio + b.epsVisual));
    for (let i = 1; i < sorted.length; i++) {
      const [before, after] = [sorted[i - 1], sorted[i]];
      if (!before || !after) continue;
      const slack = 1 / Math.max(after.n, 1);
      out.push({
        configHash: after.configHash,
        check: {
          id: "monotone-epsilon",
          ok: after.robustAccuracy <= before.robustAccuracy + slack + 1e-9,
          detail: `robust accuracy ${
            fmt(after.robustAccuracy)
          } at ε (a ${after.epsAudio}, v ${after.epsVisual}) vs ${
            fmt(before.robustAccuracy)
          } at ε (a ${before.epsAudio}, v ${before.epsVisual})`,
        },
      });
    }
  }
  return out;
}

/**
 * A composite attack (the worst case over attacks; registry metadata `composite`) is not weaker than any
 * member evaluated on its own in the same sweep.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(checkEnsemble([]), []);
 * ```
 */
export function checkEnsemble(records: readonly EvalRecord[]): RecordCheck[] {
  const out: RecordCheck[] = [];
  for (const group of groupBy(records, cellGroup).values()) {
    const composite = (r: EvalRecord) => attackInfo(r.attack)?.composite === true;
    for (const ensemble of group.filter(composite)) {
      const members = group.filter((r) => !composite(r) && (ensemble.ensemble ?? []).includes(r.attackLabel));
      if (members.length === 0) continue;
      const best = Math.min(...members.map((r) => r.robustAccuracy));
      out.push({
        configHash: ensemble.configHash,
        check: {
          id: "ensemble",
          ok: ensemble.robustAccuracy <= best + 1e-9,
          detail: `worst case robust accuracy ${fmt(ensemble.robustAccuracy)}, best member alone ${
            fmt(best)
          }`,
        },
      });
    }
  }
  return out;
}

const MODALITIES: readonly ("audio" | "visual")[] = ["audio", "visual"];

function fmt(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}
