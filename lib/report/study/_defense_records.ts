/**
 * The records of a defense cell: per-sample outcomes of every attack turned into the worst case, each
 * attack's own accuracy, the sanity flags and 95% bootstrap intervals.
 *
 * @module
 */
import { type Budget, budgetKind } from "../../attacks/mod.ts";
import type { IstaDiagnostics } from "../../defense/mod.ts";
import { bootstrapInterval, type Interval } from "../../localize/mod.ts";
import type { Modality } from "../../models/mod.ts";
import type { AttackSetting } from "../types.ts";
import type { PlannedAttack } from "./_defense_battery.ts";
import type { DefensePlan, DefenseVariant } from "./defense_plan.ts";

/** ISTA's diagnostics on the clean inputs, per defended modality. */
export type DefenseDiagnostics = Partial<
  Record<Modality, Pick<IstaDiagnostics, "zeroShare" | "iterations" | "shrinkage">>
>;

/** One row of the defense study: a model on one dataset, clean or at one budget. */
export interface DefenseRecord {
  /** Dataset name. */
  dataset: string;
  /** Row label: the variant's, or the ablation's (`a = 0.25`). */
  defense: string;
  /** The fine-tuned model. */
  variant: DefenseVariant;
  /** `table`: Table 3; `ablation`: a test-time change of the paper's defense; `sanity`: the large-ε point. */
  study: "table" | "ablation" | "sanity";
  /** The ablated parameter and its value, or null. */
  ablation: { parameter: "mix" | "lambda" | "size" | "maxIterations"; value: number } | null;
  /** Which modalities the budget attacks. */
  setting: AttackSetting;
  /** ε_a and ε_v (L∞; visual in normalised units). */
  epsAudio: number;
  epsVisual: number;
  /** Test samples. */
  samples: number;
  /** Accuracy under the per-sample worst case of every attack (clean accuracy for `clean`), 95% bootstrap. */
  accuracy: Interval;
  /** Each attack's own accuracy. */
  attacks: { label: string; accuracy: number }[];
  /** The attack with the lowest accuracy of its own, or null. */
  worst: string | null;
  /** Sanity flags raised (`large-epsilon`, `more-steps-worse`, `zero-gradient`, `nondeterministic`, `gradient-free-beats-white-box`). */
  flags: string[];
  /** ISTA diagnostics on clean inputs (memory defenses, clean rows). */
  diagnostics?: DefenseDiagnostics;
}

/** What a cell measured, per sample (test order). */
export interface Measured {
  /** Correct on clean inputs. */
  clean: boolean[];
  /** Per budget: each attack's per-sample outcome (fooled or misclassified). */
  per: Map<string, boolean[]>[];
  /** The large-ε and fewer-steps outcomes (PGD CE), zero-gradient samples, and any logit difference between passes. */
  sanity: { large: boolean[]; fewer: boolean[]; zeroGradient: number; nondeterministic: boolean };
  /** ISTA's diagnostics of each clean pass, per modality. */
  diagnostics: Partial<Record<Modality, IstaDiagnostics[]>>;
  /** Per budget: the attacks, in battery order (the first is PGD CE in the full battery). */
  batteries: PlannedAttack[][];
  /** The large-ε budget. */
  large: Budget;
}

const share = (values: boolean[]) => values.filter(Boolean).length / Math.max(values.length, 1);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);

/**
 * The records of one cell: clean, then per budget (the sanity budget followed by the large-ε point).
 *
 * @param measured The per-sample outcomes.
 * @param options Labels, the plan's ε and resamples, budgets, samples, battery kind, seed, whether banks were used.
 * @returns The records.
 */
export function defenseRecords(
  measured: Measured,
  options: {
    dataset: string;
    defense: string;
    variant: DefenseVariant;
    study: "table" | "ablation";
    ablation: DefenseRecord["ablation"];
    plan: Pick<DefensePlan, "largeEpsilon" | "resamples">;
    budgets: { budget: Budget; sanity: boolean; full: boolean }[];
    samples: number;
    seed: number;
    memory: boolean;
  },
): DefenseRecord[] {
  const { clean, per, sanity, diagnostics, batteries, large } = measured;
  const { plan, budgets } = options;
  const boot = { seed: options.seed, resamples: plan.resamples };
  const interval = (robust: boolean[]) => bootstrapInterval(robust.map((r) => (r ? 1 : 0)), boot);
  const common = {
    dataset: options.dataset,
    defense: options.defense,
    variant: options.variant,
    study: options.study,
    ablation: options.ablation,
    samples: options.samples,
  };
  const summary: DefenseDiagnostics = {};
  for (const [modality, runs] of Object.entries(diagnostics) as [Modality, IstaDiagnostics[]][]) {
    summary[modality] = {
      zeroShare: mean(runs.map((d) => d.zeroShare)),
      iterations: Math.max(...runs.map((d) => d.iterations)),
      shrinkage: mean(runs.map((d) => d.shrinkage)),
    };
  }
  const records: DefenseRecord[] = [{
    ...common,
    setting: "clean",
    epsAudio: 0,
    epsVisual: 0,
    accuracy: interval(clean),
    attacks: [],
    worst: null,
    flags: sanity.nondeterministic ? ["nondeterministic"] : [],
    ...(options.memory ? { diagnostics: summary } : {}),
  }];
  for (const [b, { budget, sanity: check, full }] of budgets.entries()) {
    const results = per[b] ?? new Map<string, boolean[]>();
    const battery = batteries[b] ?? [];
    const anyOf = (keep: (a: PlannedAttack) => boolean) =>
      clean.map((_, i) => battery.some((a) => keep(a) && (results.get(a.label)?.[i] ?? false)));
    const worstCase = anyOf(() => true);
    const robust = clean.map((ok, i) => ok && !worstCase[i]);
    const attacks = battery.map((a) => ({
      label: a.label,
      accuracy: 1 - share(clean.map((ok, i) => !ok || (results.get(a.label)?.[i] ?? false))),
    }));
    const worst = attacks.reduce<(typeof attacks)[number] | null>(
      (best, a) => (best === null || a.accuracy < best.accuracy ? a : best),
      null,
    );
    const flags: string[] = [];
    const whiteBox = anyOf((a) => !a.gradientFree && a.source !== "base");
    const blackBox = anyOf((a) => a.gradientFree);
    if (blackBox.some((hit, i) => hit && !whiteBox[i] && clean[i])) {
      flags.push("gradient-free-beats-white-box");
    }
    if (check && full) {
      const first = battery[0]?.label ?? "";
      const fewerAccuracy = 1 - share(clean.map((ok, i) => !ok || (sanity.fewer[i] ?? false)));
      if ((attacks.find((a) => a.label === first)?.accuracy ?? 0) > fewerAccuracy) {
        flags.push("more-steps-worse");
      }
      const largeAccuracy = 1 - share(clean.map((ok, i) => !ok || (sanity.large[i] ?? false)));
      if (largeAccuracy > 0.1) flags.push("large-epsilon");
      if (sanity.zeroGradient > 0) flags.push("zero-gradient");
      records.push({
        ...common,
        study: "sanity",
        setting: "joint",
        epsAudio: large.audio,
        epsVisual: large.visual,
        accuracy: interval(clean.map((ok, i) => ok && !(sanity.large[i] ?? false))),
        attacks: [{ label: `${first} at ε = ${plan.largeEpsilon}`, accuracy: largeAccuracy }],
        worst: first,
        flags: largeAccuracy > 0.1 ? ["large-epsilon"] : [],
      });
    }
    records.push({
      ...common,
      setting: budgetKind(budget),
      epsAudio: budget.audio,
      epsVisual: budget.visual,
      accuracy: interval(robust),
      attacks,
      worst: worst?.label ?? null,
      flags,
    });
  }
  return records;
}
