/**
 * One cell of the `defense` stage: a fine-tuned model (with or without the memory defense) on one
 * dataset, clean and under every attack of the adaptive battery at each budget, with the per-sample worst
 * case, sanity flags and 95% bootstrap intervals. A module of its own so the cell key holds the closure
 * of this code only.
 *
 * @module
 */
import { budgetKind, runAttack } from "../../attacks/mod.ts";
import type { Budget } from "../../attacks/mod.ts";
import { type AvBatch, type AvDataset, disposeBatch, loadBatch } from "../../data/mod.ts";
import {
  defendModel,
  type DefenseBackward,
  type IstaDiagnostics,
  type MemoryBanks,
} from "../../defense/mod.ts";
import { tf } from "../../engine/tf.ts";
import { probeModel } from "../../eval/mod.ts";
import { bootstrapInterval, type Interval } from "../../localize/mod.ts";
import { type AvModel, disposeOutput, type Modality } from "../../models/mod.ts";
import type { AttackSetting } from "../types.ts";
import { attackBattery, type AttackSource, type PlannedAttack } from "./_defense_battery.ts";
import type { DefensePlan, DefenseVariant, MemoryPlan } from "./defense_plan.ts";

/**
 * Entry modules of a defense cell's code, for `context.memo(…, { sources })`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(DEFENSE_CELL_SOURCES[0] ?? "", /_defense_cell\.ts$/);
 * ```
 */
export const DEFENSE_CELL_SOURCES: readonly string[] = [import.meta.url];

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

/** The models of a cell: the fine-tuned weights, the banks (memory defenses) and the undefended base. */
export interface DefenseCellModels {
  /** Fine-tuned model (not disposed). */
  model: AvModel;
  /** Banks from the base model, or null for no memory defense (not disposed). */
  banks: MemoryBanks | null;
  /** The defense's settings. */
  memory: MemoryPlan;
  /** The undefended base model, the source of transfer attacks (not disposed). */
  base: AvModel;
}

/** What a cell measures. */
export interface DefenseCellOptions {
  dataset: string;
  defense: string;
  variant: DefenseVariant;
  study: "table" | "ablation";
  ablation: DefenseRecord["ablation"];
  plan: DefensePlan;
  /** Budgets; `sanity` marks the one that gets the large-ε and more-steps checks. */
  budgets: { budget: Budget; sanity: boolean }[];
  samples: number;
  /** Full battery (Table 3) or the reduced one (ablations). */
  full: boolean;
  seed: number;
}

type Models = Record<AttackSource, AvModel>;

function buildModels(given: DefenseCellModels, onDiagnostics?: (m: Modality, d: IstaDiagnostics) => void) {
  const defended = (backward: DefenseBackward) =>
    given.banks === null ? given.model : defendModel(given.model, given.banks, {
      ...given.memory,
      backward,
      ...(onDiagnostics ? { onDiagnostics } : {}),
    });
  const models: Models = {
    defended: defended("exact"),
    linear: defended("linear"),
    identity: defended("identity"),
    base: given.base,
  };
  const dispose = () => {
    if (given.banks === null) return;
    for (const source of ["defended", "linear", "identity"] as const) models[source].dispose();
  };
  return { models, dispose };
}

async function predictions(model: AvModel, audio: tf.Tensor2D, visual: tf.Tensor4D): Promise<number[]> {
  const output = model.apply(audio, visual);
  const predicted = tf.argMax(output.logits, 1);
  const values = Array.from(await predicted.data());
  predicted.dispose();
  disposeOutput(output);
  return values;
}

/** Per sample: fooled (or misclassified) by the attack, judged on the defended forward pass. */
async function fooled(
  models: Models,
  batch: AvBatch,
  attack: PlannedAttack,
  budget: Budget,
  labels: number[],
) {
  const result = await runAttack(models[attack.source], batch, attack.spec, budget);
  try {
    if (attack.source !== "base") return result.success;
    const predicted = await predictions(models.defended, result.audio, result.visual);
    return predicted.map((p, i) => p !== labels[i]);
  } finally {
    tf.dispose([result.audio, result.visual]);
  }
}

const share = (values: boolean[]) => values.filter(Boolean).length / Math.max(values.length, 1);

/**
 * Runs one defense cell.
 *
 * @param given The fine-tuned model, its banks and the base model (none disposed).
 * @param dataset The dataset (the first `options.samples` test samples are read).
 * @param options Labels, plan, budgets, samples, battery, seed.
 * @returns One clean record and one per budget (plus the large-ε sanity record).
 *
 * @example Inside the defense stage
 * ```ts ignore
 * const records = await defenseCell({ model, banks, memory, base }, dataset, options);
 * ```
 */
export async function defenseCell(
  given: DefenseCellModels,
  dataset: AvDataset,
  options: DefenseCellOptions,
): Promise<DefenseRecord[]> {
  const { plan, budgets, full } = options;
  const n = Math.min(options.samples, dataset.splits.test.size);
  const diagnostics: Partial<Record<Modality, IstaDiagnostics[]>> = {};
  let recording = false;
  const { models, dispose } = buildModels(given, (m, d) => {
    if (recording) (diagnostics[m] ??= []).push(d);
  });
  const battery = attackBattery(plan, { memory: given.banks !== null, full });
  const large: Budget = {
    norm: "linf",
    audio: plan.largeEpsilon,
    visual: plan.largeEpsilon,
    visualUnits: "normalized",
  };
  const fewer = {
    ...battery[0]?.spec,
    options: { ...battery[0]?.spec.options, steps: Math.max(1, Math.floor(plan.steps / 10)) },
  };
  const clean: boolean[] = [];
  const per = budgets.map(() => new Map<string, boolean[]>());
  const sanity = { large: [] as boolean[], fewer: [] as boolean[], zeroGradient: 0, nondeterministic: false };
  try {
    for (let start = 0; start < n; start += plan.batchSize) {
      const indices = Array.from({ length: Math.min(plan.batchSize, n - start) }, (_, i) => start + i);
      const batch = await loadBatch(dataset.splits.test, indices, dataset);
      try {
        const labels = Array.from(await batch.labels.data());
        recording = true;
        const predicted = await predictions(models.defended, batch.audio, batch.visual);
        recording = false;
        clean.push(...predicted.map((p, i) => p === labels[i]));
        for (const [b, { budget, sanity: check }] of budgets.entries()) {
          for (const attack of battery) {
            const rows = per[b]?.get(attack.label) ?? [];
            rows.push(...await fooled(models, batch, attack, budget, labels));
            per[b]?.set(attack.label, rows);
          }
          if (check && full) {
            const pgd = {
              label: "large ε",
              source: "defended",
              gradientFree: false,
              spec: battery[0]!.spec,
            } as const;
            sanity.large.push(...await fooled(models, batch, pgd, large, labels));
            const short = { ...pgd, spec: { attack: "pgd", options: fewer.options } } as PlannedAttack;
            sanity.fewer.push(...await fooled(models, batch, short, budget, labels));
            const probe = await probeModel(models.defended, batch);
            sanity.zeroGradient += probe.zeroGradientSamples;
            sanity.nondeterministic ||= probe.maxLogitDifference > 0;
          }
        }
      } finally {
        disposeBatch(batch);
      }
    }
  } finally {
    dispose();
  }
  const boot = { seed: options.seed, resamples: plan.resamples };
  const interval = (robust: boolean[]) => bootstrapInterval(robust.map((r) => (r ? 1 : 0)), boot);
  const common = {
    dataset: options.dataset,
    defense: options.defense,
    variant: options.variant,
    study: options.study,
    ablation: options.ablation,
    samples: n,
  };
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
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
    ...(given.banks ? { diagnostics: summary } : {}),
  }];
  for (const [b, { budget, sanity: check }] of budgets.entries()) {
    const results = per[b] ?? new Map<string, boolean[]>();
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
