/**
 * Per-sample localization measures and their summary into one {@linkcode LocalizeRecord} with seeded
 * bootstrap intervals (part of the localize cell's code).
 *
 * @module
 */
import { budgetKind } from "../../attacks/mod.ts";
import type { Budget } from "../../attacks/mod.ts";
import { ap50, bootstrapInterval, type Interval, localizationAuc } from "../../localize/mod.ts";
import type { LocalizerName } from "../../localize/mod.ts";
import type { AttackSetting } from "../types.ts";

/** One row of the localization study: a localizer's maps on one dataset, clean or under one attack. */
export interface LocalizeRecord {
  /** Dataset name. */
  dataset: string;
  /** Localizer or baseline. */
  localizer: LocalizerName;
  /** Registry name of the attack (`none` clean; map attacks are `pgd` with `attackOptions.loss = "mapMass"`). */
  attack: string;
  /** Display label of the attack (`pgd`, `map-out`, `map-out+class`). */
  attackLabel: string;
  /** Which modalities the budget attacks. */
  setting: AttackSetting;
  /** ε_a and ε_v (normalised units). */
  epsAudio: number;
  epsVisual: number;
  /** Samples measured, and those with a box. */
  samples: number;
  boxed: number;
  /** Accuracy of the localizer's classifier on the (attacked) inputs. */
  accuracy: number;
  /** Box metrics (median mask), absent without boxes. AUC carries a bootstrap interval too. */
  ap50?: Interval;
  meanCiou?: Interval;
  auc?: Interval;
  pointing?: Interval;
  /** The same with the oracle-area mask. */
  oracleAp50?: Interval;
  oracleMeanCiou?: Interval;
  /** Mean box-area fraction of the boxed samples. */
  boxArea?: number;
  /** Share of the normalised map inside the box. */
  massInBox?: Interval;
  /** Peak displacement from the clean map, in frame pixels. */
  peakShift: Interval;
  /** Spearman ρ between the clean and the attacked map. */
  rankCorrelation: Interval;
}

/** The attack of a row: its display label, registry name and budget. */
export interface RowAttack {
  label: string;
  attack: string;
  budget: Budget;
}

/** The samples of one (localizer, attack, setting) on one dataset; `attack` null for clean. */
export interface SummaryRow {
  dataset: string;
  localizer: LocalizerName;
  attack: RowAttack | null;
  per: Sample[];
}

/** A zero budget (the clean rows). */
export const CLEAN: Budget = { norm: "linf", audio: 0, visual: 0, visualUnits: "normalized" };

/** What one sample gives under one (localizer, attack, setting). */
export interface Sample {
  correct: boolean;
  shift: number;
  rho: number;
  box?: { ciou: number; oracle: number; hit: boolean; mass: number; area: number };
}

/**
 * Summarises the samples of one (localizer, attack, setting) into a record with 95% bootstrap intervals.
 *
 * @param row Dataset, localizer, attack (label, registry name, budget) or null for clean, samples.
 * @param boot Seed and resamples of the bootstrap.
 * @returns The record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const record = summarize({ dataset: "d", localizer: "attention", attack: null,
 *   per: [{ correct: true, shift: 0, rho: 1 }] }, { seed: 0, resamples: 10 });
 * assert.equal(record.accuracy, 1);
 * ```
 */
export function summarize(row: SummaryRow, boot: { seed: number; resamples: number }): LocalizeRecord {
  const { dataset, localizer, attack, per } = row;
  const interval = (values: number[], statistic?: (v: readonly number[]) => number) =>
    bootstrapInterval(values, { ...boot, ...(statistic ? { statistic } : {}) });
  const boxed = per.flatMap((s) => (s.box ? [s.box] : []));
  const budget = attack?.budget ?? CLEAN;
  const cious = boxed.map((b) => b.ciou);
  return {
    dataset,
    localizer,
    attack: attack?.attack ?? "none",
    attackLabel: attack?.label ?? "none",
    setting: budgetKind(budget),
    epsAudio: budget.audio,
    epsVisual: budget.visual,
    samples: per.length,
    boxed: boxed.length,
    accuracy: per.filter((s) => s.correct).length / Math.max(per.length, 1),
    ...(boxed.length > 0
      ? {
        ap50: interval(cious, ap50),
        meanCiou: interval(cious),
        auc: interval(cious, localizationAuc),
        pointing: interval(boxed.map((b) => (b.hit ? 1 : 0))),
        oracleAp50: interval(boxed.map((b) => b.oracle), ap50),
        oracleMeanCiou: interval(boxed.map((b) => b.oracle)),
        boxArea: boxed.reduce((total, b) => total + b.area, 0) / boxed.length,
        massInBox: interval(boxed.map((b) => b.mass)),
      }
      : {}),
    peakShift: interval(per.map((s) => s.shift)),
    rankCorrelation: interval(per.map((s) => s.rho)),
  };
}
