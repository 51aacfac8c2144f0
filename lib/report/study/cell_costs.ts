/**
 * Estimated costs of the study's cells, so that a sharded run splits each stage's cells evenly by work
 * (see `partitionCells`). Estimates only steer who computes a cell, never what it holds.
 *
 * @module
 */
import { type AttackSpec, type Budget, resolveSpec, type SpecLike } from "../../attacks/mod.ts";
import { TRAIN_PRESETS, type TrainConfigInput } from "../../train/mod.ts";
import { attackBattery } from "./_defense_battery.ts";
import type { DefensePlan, MemoryPlan } from "./defense_plan.ts";
import type { LocalizePlan } from "./report_config.ts";
import type { ExamplePlan } from "./example_plan.ts";
import type { TrainedModel } from "../types.ts";

/** A forward pass alone (an evaluation, a Square query, a map), against a forward + backward pass. */
const FORWARD = 1 / 3;
/**
 * A training step of one sample against an attack step (weights' gradients and the update as well):
 * av-concat trains an epoch of 6000 + 1000 validation samples in 8.4 s, and takes a PGD step of one
 * sample in 1.07 ms (reports/bench.json, wasm, small preset).
 */
const TRAIN_STEP = 1.25;
/**
 * Cost of a model kind against the audio-visual model's, per training step and per attack step
 * (reports/bench.json, small preset: epochs of 4.6, 3.6 and 8.4 s; PGD-10 on 64 samples in 502, 151 and
 * 683 ms). Not measured for the paper preset's encoders; the same weights serve it.
 */
const KIND: Readonly<Record<TrainedModel["kind"], { train: number; attack: number }>> = Object.freeze({
  audio: { train: 0.55, attack: 0.73 },
  visual: { train: 0.43, attack: 0.22 },
  av: { train: 1, attack: 1 },
});
/**
 * What one ISTA iteration of the memory defense adds to a pass through the model: a fixed part, and a part
 * per 1024 bank entries (measured roughly: PGD-10 through the defense on av-digits-shaped inputs, wasm,
 * small preset: +16% with 64 entries and 5 iterations, about +140% with 256 entries and 20).
 */
const ISTA = { perIteration: 0.02, per1024Entries: 0.2 };
/**
 * What every cell costs besides its passes: building or loading its model, opening its dataset, its
 * summaries. A one-process smoke run took about 2 ms per unit of passes plus 0.3 s (150 units) per
 * cell (stage times against the estimates, a loaded 2-core machine).
 */
const CELL = 150;

/** Samples per split of a dataset (`DatasetSummary.sizes`). */
export type SplitSizes = Readonly<Record<string, number>>;

/** A sweep of a model: every attack at every budget on the first `samples` test samples. */
export interface CostedSweep {
  attacks: readonly AttackSpec[];
  budgets: readonly Budget[];
  samples: number;
}

/** The evaluation of a defense cell (its samples and budgets; `full` budgets get the whole battery). */
export interface CostedDefenseCell {
  /** The memory defense the model runs with, or null. */
  memory: MemoryPlan | null;
  samples: number;
  budgets: readonly { sanity: boolean; full: boolean }[];
}

/** Gradient passes per sample of one attack: steps × restarts; Square's queries are forward passes. */
function attackPasses(spec: SpecLike): number {
  const { attack, options } = resolveSpec(spec);
  const count = (value: unknown) => (typeof value === "number" && value > 0 ? value : 1);
  if (Array.isArray(options.attacks)) {
    // The worst case runs each member (on the samples still robust): at most their sum.
    return options.attacks.reduce((sum: number, member: SpecLike) => sum + attackPasses(member), 0);
  }
  if (attack === "square") return count(options.queries) * FORWARD;
  return count(options.steps) * count(options.restarts);
}

/** A pass through the model with the memory defense against one without (1 without). */
function memoryFactor(memory: MemoryPlan | null): number {
  if (memory === null) return 1;
  return 1 + memory.maxIterations * (ISTA.perIteration + (ISTA.per1024Entries * memory.size) / 1024);
}

const isClean = (budget: Budget) => budget.audio === 0 && budget.visual === 0;

/** A fine-tuned defense variant, as {@linkcode CellCostEstimators.fineTune} costs it. */
export interface FineTuneJob {
  kind: TrainedModel["kind"];
  train: TrainConfigInput;
  sizes: SplitSizes;
  memory: MemoryPlan | null;
  adversarialSteps: number;
}

/** The estimators of {@linkcode CELL_COSTS}, one per kind of cell. */
export interface CellCostEstimators {
  attack(spec: AttackSpec): number;
  train(
    job: { kind: TrainedModel["kind"]; train: TrainConfigInput; sizes: SplitSizes; step?: number },
  ): number;
  fineTune(job: FineTuneJob): number;
  sweep(kind: TrainedModel["kind"], sweeps: readonly CostedSweep[]): number;
  examples(kind: TrainedModel["kind"], plan: ExamplePlan): number;
  localize(plan: LocalizePlan): number;
  defense(plan: DefensePlan, cell: CostedDefenseCell): number;
}

/**
 * Estimated cost of each kind of study cell, in one unit: a forward + backward pass of one sample
 * through the config's audio-visual model (an attack step). Each estimate counts passes from the config
 * (epochs × samples for training; samples × steps × attacks × budgets for attacks), times the kind's
 * weight, plus a fixed cost per cell (loading its model and data); early stopping is left out.
 *
 * @example Training an audio-visual model costs more than an audio model, and PGD more than FGSM
 * ```ts
 * import assert from "node:assert/strict";
 * const sizes = { train: 120, val: 40, test: 40 };
 * const train = { preset: "small", epochs: 1 } as const;
 * assert.ok(CELL_COSTS.train({ kind: "av", train, sizes }) > CELL_COSTS.train({ kind: "audio", train, sizes }));
 * assert.equal(CELL_COSTS.attack({ attack: "pgd" }), 10);
 * assert.equal(CELL_COSTS.attack({ attack: "fgsm" }), 1);
 * ```
 */
export const CELL_COSTS: Readonly<CellCostEstimators> = Object.freeze({
  /** Gradient passes per sample of one attack (a worst case: its members' sum; Square: forward passes). */
  attack: (spec: AttackSpec): number => attackPasses(spec),

  /**
   * A train cell: epochs × (training steps of the train split + forward passes of the validation split),
   * plus the test split once. `step` scales each training step (1 + PGD steps for adversarial training,
   * the memory defense's factor in the loop).
   */
  train(
    job: { kind: TrainedModel["kind"]; train: TrainConfigInput; sizes: SplitSizes; step?: number },
  ): number {
    const { kind, train, sizes, step = 1 } = job;
    const epochs = train.epochs ?? TRAIN_PRESETS[train.preset ?? "small"].epochs;
    const [fit, val, test] = [sizes.train ?? 0, sizes.val ?? 0, sizes.test ?? 0];
    return CELL + KIND[kind].train * (epochs * (fit * TRAIN_STEP * step + val * FORWARD) + test * FORWARD);
  },

  /** A fine-tuned defense variant: a train cell with the memory defense or adversarial training per step. */
  fineTune(job: FineTuneJob): number {
    const step = memoryFactor(job.memory) * (1 + job.adversarialSteps);
    return CELL_COSTS.train({ kind: job.kind, train: job.train, sizes: job.sizes, step });
  },

  /** A model's sweeps: samples × Σ budgets Σ attacks passes (a zero budget: a forward pass per attack). */
  sweep(kind: TrainedModel["kind"], sweeps: readonly CostedSweep[]): number {
    const passes = sweeps.map(({ attacks, budgets, samples }) =>
      samples * budgets.reduce(
        (sum, budget) =>
          sum + attacks.reduce((inner, spec) => inner + (isClean(budget) ? FORWARD : attackPasses(spec)), 0),
        0,
      )
    );
    return CELL + KIND[kind].attack * passes.reduce((sum, n) => sum + n, 0);
  },

  /** An examples cell: its samples under its attack at the three settings. */
  examples(kind: TrainedModel["kind"], plan: ExamplePlan): number {
    return CELL + KIND[kind].attack * plan.samples * 3 * attackPasses(plan.attack);
  },

  /**
   * A localize cell (the audio-visual localizer): per sample and setting (three), the classification
   * attacks and the map attacks (directions × keep-class × steps), and each localizer's map clean and
   * after every attack.
   */
  localize(plan: LocalizePlan): number {
    const { directions, keepClass, steps } = plan.mapAttack;
    const attacks = plan.attacks.reduce((sum, spec) => sum + attackPasses(spec), 0);
    const mapAttacks = directions.length * keepClass.length;
    const perSetting = attacks + mapAttacks * steps;
    // Every localizer's map (and its measures), clean and after each attack, as a forward pass.
    const maps = plan.localizers.length * (1 + 3 * (plan.attacks.length + mapAttacks));
    return CELL + plan.samples * (maps * FORWARD + 3 * perSetting);
  },

  /**
   * A defense evaluation cell: per sample, the clean pass and, per budget, the battery
   * (`attackBattery`: the full one or the reduced one), plus the sanity point's large-ε PGD and its
   * tenth-of-the-steps rerun; passes through a memory defense cost its ISTA iterations as well
   * (the transfer attack runs on the undefended base).
   */
  defense(plan: DefensePlan, cell: CostedDefenseCell): number {
    const ista = memoryFactor(cell.memory);
    const memory = cell.memory !== null;
    const perSample = cell.budgets.reduce((sum, { sanity, full }) => {
      const battery = attackBattery(plan, { memory, full }).reduce(
        (inner, attack) => inner + attackPasses(attack.spec) * (attack.source === "base" ? 1 : ista),
        0,
      );
      const check = sanity && full ? plan.steps * plan.restarts * 1.1 * ista : 0;
      return sum + battery + check;
    }, FORWARD * ista);
    return CELL + cell.samples * perSample;
  },
});
