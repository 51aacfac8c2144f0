/**
 * One cell of the `defense` stage: a fine-tuned model (with or without the memory defense) on one
 * dataset, clean and under every attack of the adaptive battery at each budget, with the per-sample worst
 * case, sanity flags and 95% bootstrap intervals. A module of its own so the cell key holds the closure
 * of this code only.
 *
 * @module
 */
import { runAttack, withSeed } from "../../attacks/mod.ts";
import type { Budget } from "../../attacks/mod.ts";
import { type AvBatch, disposeBatch, loadBatch } from "../../data/batch.ts";
import type { AvDataset } from "../../data/types.ts";
import {
  defendModel,
  type DefenseBackward,
  type IstaDiagnostics,
  type MemoryBanks,
} from "../../defense/mod.ts";
import { tf } from "../../engine/tf.ts";
import { probeModel } from "../../eval/mod.ts";
import { type AvModel, disposeOutput, type Modality } from "../../models/mod.ts";
import { attackBattery, type AttackSource, type PlannedAttack } from "./_defense_battery.ts";
import { type DefenseRecord, defenseRecords, type Measured } from "./_defense_records.ts";
import type { DefensePlan, DefenseVariant, MemoryPlan } from "./defense_plan.ts";

export type { DefenseDiagnostics, DefenseRecord } from "./_defense_records.ts";

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
  /**
   * Budgets; `sanity` marks the one that gets the large-ε and more-steps checks, `full` those that get the
   * full battery (the others the reduced one).
   */
  budgets: { budget: Budget; sanity: boolean; full: boolean }[];
  samples: number;
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
  at: { labels: number[]; seed: number },
) {
  const { labels, seed } = at;
  const result = await runAttack(models[attack.source], batch, withSeed(attack.spec, seed), budget);
  try {
    if (attack.source !== "base") return result.success;
    const predicted = await predictions(models.defended, result.audio, result.visual);
    return predicted.map((p, i) => p !== labels[i]);
  } finally {
    tf.dispose([result.audio, result.visual]);
  }
}

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
  const { plan, budgets } = options;
  const n = Math.min(options.samples, dataset.splits.test.size);
  const diagnostics: Measured["diagnostics"] = {};
  let recording = false;
  const { models, dispose } = buildModels(given, (m, d) => {
    if (recording) (diagnostics[m] ??= []).push(d);
  });
  const batteries = budgets.map(({ full }) => attackBattery(plan, { memory: given.banks !== null, full }));
  const first = attackBattery(plan, { memory: false, full: true })[0];
  const large: Budget = {
    norm: "linf",
    audio: plan.largeEpsilon,
    visual: plan.largeEpsilon,
    visualUnits: "normalized",
  };
  const firstSpec = first?.spec;
  // PGD CE with a tenth of the steps: more steps must never do worse.
  const shorter: PlannedAttack | null = first && firstSpec?.attack === "pgd"
    ? {
      ...first,
      spec: {
        attack: "pgd",
        options: { ...firstSpec.options, steps: Math.max(1, Math.floor(plan.steps / 10)) },
      },
    }
    : null;
  const clean: boolean[] = [];
  const per = budgets.map(() => new Map<string, boolean[]>());
  const sanity: Measured["sanity"] = { large: [], fewer: [], zeroGradient: 0, nondeterministic: false };
  try {
    for (let start = 0; start < n; start += plan.batchSize) {
      const indices = Array.from({ length: Math.min(plan.batchSize, n - start) }, (_, i) => start + i);
      const batch = await loadBatch(dataset.splits.test, indices, dataset);
      try {
        // Each batch's random starts and choices come from the attack seed and its first index.
        const at = { labels: Array.from(await batch.labels.data()), seed: options.seed + start };
        const labels = at.labels;
        recording = true;
        const predicted = await predictions(models.defended, batch.audio, batch.visual);
        recording = false;
        clean.push(...predicted.map((p, i) => p === labels[i]));
        for (const [b, { budget, sanity: check, full }] of budgets.entries()) {
          for (const attack of batteries[b] ?? []) {
            const rows = per[b]?.get(attack.label) ?? [];
            rows.push(...await fooled(models, batch, attack, budget, at));
            per[b]?.set(attack.label, rows);
          }
          if (check && full && first && shorter) {
            sanity.large.push(...await fooled(models, batch, first, large, at));
            sanity.fewer.push(...await fooled(models, batch, shorter, budget, at));
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
  return defenseRecords({ clean, per, sanity, diagnostics, batteries, large }, {
    ...options,
    samples: n,
    memory: given.banks !== null,
  });
}
