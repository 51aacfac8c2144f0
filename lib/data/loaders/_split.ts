/**
 * Deterministic stratified splits for loaders whose files come without split lists.
 *
 * @module
 */
import { createRng } from "../../engine/random.ts";
import type { SplitName } from "../types.ts";

/** Fractions of each class that go to each split; they must sum to 1. */
export type SplitFractions = Readonly<Record<SplitName, number>>;

/** The default split: 70 % train, 15 % validation, 15 % test. */
export const DEFAULT_SPLIT_FRACTIONS: SplitFractions = Object.freeze({ train: 0.7, val: 0.15, test: 0.15 });

/** Throws a RangeError naming `what` unless the fractions are in [0, 1] and sum to 1. */
export function checkFractions(fractions: SplitFractions, what: string): void {
  const values = [fractions.train, fractions.val, fractions.test];
  const sum = values.reduce((a, b) => a + b, 0);
  if (values.some((v) => !(v >= 0 && v <= 1)) || Math.abs(sum - 1) > 1e-9) {
    throw new RangeError(
      `Cannot ${what}: split fractions must lie in [0, 1] and sum to 1, current value is ${
        JSON.stringify(fractions)
      }`,
    );
  }
}

/**
 * Splits items per class: each class's items (in the given order) are shuffled with a stream forked
 * from `seed` and the class index, then cut at round(n·train) and round(n·(train + val)).
 */
export function stratifiedSplit<T>(
  items: readonly T[],
  labelOf: (item: T) => number,
  fractions: SplitFractions,
  seed: number,
): Record<SplitName, T[]> {
  const rng = createRng(seed);
  const byClass = new Map<number, T[]>();
  for (const item of items) {
    const label = labelOf(item);
    const list = byClass.get(label) ?? [];
    list.push(item);
    byClass.set(label, list);
  }
  const out: Record<SplitName, T[]> = { train: [], val: [], test: [] };
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = rng.fork(label).shuffle([...(byClass.get(label) ?? [])]);
    const trainEnd = Math.round(list.length * fractions.train);
    const valEnd = Math.round(list.length * (fractions.train + fractions.val));
    out.train.push(...list.slice(0, trainEnd));
    out.val.push(...list.slice(trainEnd, valEnd));
    out.test.push(...list.slice(valEnd));
  }
  return out;
}
