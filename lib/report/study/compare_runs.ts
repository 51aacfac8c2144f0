/**
 * Two result sets side by side (corrected against as-released MIM, two seeds, two checkouts): the cells
 * both hold, matched by identity, with both accuracies, the difference and whether it is beyond noise,
 * and the cells only one of them holds.
 *
 * @module
 */
import { type CellCount, type CellIdentity, entries, type Entry, type ResultSet } from "./_run_cells.ts";
import { twoProportionPValue } from "./_two_proportion.ts";

export type { CellCount, CellIdentity, ResultSet } from "./_run_cells.ts";

/** A cell both runs hold. */
export interface ComparedCell extends CellIdentity {
  /** B's attack label where it differs from A's (cells paired by attack name, see {@linkcode compareRuns}). */
  attackB?: string;
  /** The cell in A and in B. */
  a: CellCount;
  b: CellCount;
  /** Accuracy of B minus accuracy of A, in [-1, 1]. */
  difference: number;
  /** Two-sided p-value of the two-proportion z-test (1 when both runs are all right or all wrong). */
  pValue: number;
  /** `pValue < alpha`. */
  beyondNoise: boolean;
}

/** What {@linkcode compareRuns} returns. */
export interface RunComparison {
  /** Matched cells, in A's order. */
  cells: ComparedCell[];
  /** Cells only A holds, and only B. */
  onlyA: CellIdentity[];
  onlyB: CellIdentity[];
  /** The significance level used. */
  alpha: number;
}

/** Options of {@linkcode compareRuns}. */
export interface CompareRunsOptions {
  /** Significance level of the per-cell test. @default 0.05 */
  alpha?: number;
}

/** The rule behind "beyond noise", for `--help` and the output. */
export function compareRule(alpha = 0.05): string {
  return `A difference is beyond noise when a two-sided two-proportion z-test (pooled) on correct/total ` +
    `gives p < ${alpha}. The test treats A and B as independent samples, so where both runs measured the same ` +
    `test samples (two seeds, two checkouts) it is conservative; at ${alpha}, about ${
      Math.round(alpha * 100)
    } cells in 100 that did not change still show as beyond noise.`;
}

/**
 * Matches the cells of two result sets and tests each difference. Cells match on their identity
 * (study, dataset, model or localizer or defense row, attack with its options, setting, norm, ε_a, ε_v; not
 * the seed). Cells left over that differ only in the attack's options (`mim` against
 * `mim(projection=asReleased)`) are paired when exactly one such cell is on each side.
 *
 * @param a The reference run.
 * @param b The run compared with it.
 * @param options The significance level.
 * @returns Matched cells (A's order), and the cells only in A and only in B.
 * @throws {RangeError} If `alpha` is not in (0, 1).
 *
 * @example A 30-point drop on 500 samples is beyond noise
 * ```ts
 * import assert from "node:assert/strict";
 * const cell = (correct: number) => ({ dataset: "d", model: "av-sum", kind: "av" as const, fusion: "sum",
 *   attack: "pgd", attackOptions: {}, study: "table" as const, setting: "joint" as const, norm: "linf" as const,
 *   epsAudio: 0.01, epsVisual: 0.01, visualUnits: "normalized" as const, correct, total: 500,
 *   accuracy: correct / 500, seed: 0 });
 * const { cells } = compareRuns({ records: [cell(400)] }, { records: [cell(250)] });
 * assert.equal(cells[0]?.beyondNoise, true);
 * ```
 */
export function compareRuns(a: ResultSet, b: ResultSet, options: CompareRunsOptions = {}): RunComparison {
  const { alpha = 0.05 } = options;
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`Cannot compare runs: alpha must be in (0, 1), current value is ${alpha}`);
  }
  const fromA = entries(a), fromB = entries(b);
  const waiting = new Map<string, Entry[]>();
  for (const e of fromB) waiting.set(e.exact, [...(waiting.get(e.exact) ?? []), e]);
  const pairs: { index: number; left: Entry; right: Entry }[] = [];
  const leftOver: { index: number; left: Entry }[] = [];
  fromA.forEach((left, index) => {
    const right = waiting.get(left.exact)?.shift();
    if (right) pairs.push({ index, left, right });
    else leftOver.push({ index, left });
  });
  const restB = [...waiting.values()].flat();
  const unique = <T>(list: T[], key: (item: T) => string) => {
    const counts = new Map<string, number>();
    for (const item of list) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
    return (item: T) => counts.get(key(item)) === 1;
  };
  const uniqueA = unique(leftOver, (l) => l.left.loose), uniqueB = unique(restB, (e) => e.loose);
  const paired = new Set<Entry>();
  for (const l of leftOver) {
    const right = restB.find((e) => e.loose === l.left.loose);
    if (right && uniqueA(l) && uniqueB(right)) {
      pairs.push({ index: l.index, left: l.left, right });
      paired.add(l.left).add(right);
    }
  }
  pairs.sort((x, y) => x.index - y.index);
  const cells = pairs.map(({ left, right }): ComparedCell => {
    const pValue = twoProportionPValue(left.count, right.count);
    return {
      ...left.identity,
      ...(right.identity.attack !== left.identity.attack ? { attackB: right.identity.attack } : {}),
      a: left.count,
      b: right.count,
      difference: right.count.correct / right.count.total - left.count.correct / left.count.total,
      pValue,
      beyondNoise: pValue < alpha,
    };
  });
  return {
    cells,
    onlyA: leftOver.filter((l) => !paired.has(l.left)).map((l) => l.left.identity),
    onlyB: restB.filter((e) => !paired.has(e)).map((e) => e.identity),
    alpha,
  };
}
