/**
 * The cells of the defense stage on one dataset, with their labels and estimated costs: the base model's
 * train cell (when the train stage did not train it), each variant's fine-tuning, and each variant's
 * evaluations (Table 3, then the ablations of the paper's defense). The stage declares them all as one
 * batch and issues them from the same list.
 *
 * @module
 */
import { type Budget, DEFENSE_BUDGETS } from "../../attacks/mod.ts";
import type { CellCost } from "../pipeline/cell_partition.ts";
import { CELL_COSTS, type SplitSizes } from "./cell_costs.ts";
import type { DefenseCellOptions } from "./_defense_cell.ts";
import { DEFENSE_VARIANTS, type DefensePlan, type DefenseVariant, type MemoryPlan } from "./defense_plan.ts";
import { parseModelId } from "./model_ids.ts";
import type { ReportConfig } from "./report_config.ts";

/** One evaluation cell of a fine-tuned variant: what `defenseCell` measures, and the defense it runs. */
export type DefenseEvaluation =
  & Pick<DefenseCellOptions, "defense" | "study" | "ablation" | "samples" | "budgets">
  & {
    memory: MemoryPlan;
  };

/** The defense stage's cells on one dataset. */
export interface DatasetDefenseCells {
  /** The base model's train cell, or null when the train stage trained it. */
  base: CellCost | null;
  /** Per variant, in plan order: its fine-tuning cell and its evaluation cells. */
  variants: {
    variant: DefenseVariant;
    cell: CellCost;
    evaluations: { options: DefenseEvaluation; cell: CellCost }[];
  }[];
}

/** The budgets of Table 3: the paper's defense budgets, then the attack study's (duplicates once). */
function tableBudgets(config: ReportConfig, plan: DefensePlan): DefenseEvaluation["budgets"] {
  const { audio, visual, joint } = config.attack.settings;
  const all = [
    DEFENSE_BUDGETS.audioOnly,
    DEFENSE_BUDGETS.visualOnly,
    DEFENSE_BUDGETS.joint,
    audio,
    visual,
    joint,
  ];
  const seen = new Set<string>();
  return all.flatMap((budget: Budget) => {
    const id = JSON.stringify([budget.norm, budget.audio, budget.visual, budget.visualUnits ?? "pixel"]);
    if (seen.has(id)) return [];
    seen.add(id);
    const sanity = budget === DEFENSE_BUDGETS.joint;
    return [{ budget, sanity, full: sanity || plan.fullBattery === "all" }];
  });
}

/** A variant's evaluations: Table 3's, then (the paper's defense only) one per ablated value. */
function evaluationsOf(
  config: ReportConfig,
  plan: DefensePlan,
  variant: DefenseVariant,
): DefenseEvaluation[] {
  const traits = DEFENSE_VARIANTS[variant];
  const table: DefenseEvaluation = {
    defense: traits.label,
    study: "table",
    ablation: null,
    memory: plan.memory,
    samples: plan.samples,
    budgets: tableBudgets(config, plan),
  };
  if (variant !== "dissimilarityMemory" || plan.ablation === null) return [table];
  const ablation = plan.ablation;
  const joint = [{ budget: DEFENSE_BUDGETS.joint, sanity: false, full: false }];
  return [
    table,
    ...(["mix", "lambda", "size", "maxIterations"] as const).flatMap((parameter) =>
      ablation[parameter].map((value): DefenseEvaluation => ({
        defense: `${traits.label}, ${parameter} = ${value}`,
        study: "ablation",
        ablation: { parameter, value },
        memory: { ...plan.memory, [parameter]: value },
        samples: ablation.samples,
        budgets: joint,
      }))
    ),
  ];
}

/**
 * The defense stage's cells on one dataset, labelled `<dataset> <model or variant>` (namespace `model`)
 * and `<dataset> <defense row>` (namespace `cell`), with costs from {@linkcode CELL_COSTS}.
 *
 * @param config The report config.
 * @param plan Its defense plan.
 * @param dataset The dataset's name and split sizes.
 * @param baseTrained Whether the train stage trained the base model.
 * @returns The cells.
 */
export function defenseCells(
  config: ReportConfig,
  plan: DefensePlan,
  dataset: { name: string; sizes: SplitSizes },
  baseTrained: boolean,
): DatasetDefenseCells {
  const { name, sizes } = dataset;
  const { kind } = parseModelId(plan.base);
  const base = baseTrained ? null : {
    namespace: "model",
    label: `${name} ${plan.base}`,
    cost: CELL_COSTS.train({ kind, train: config.train, sizes }),
  };
  const variants = plan.variants.map((variant) => {
    const traits = DEFENSE_VARIANTS[variant];
    const fineTune = CELL_COSTS.fineTune({
      kind,
      train: { ...config.train, epochs: plan.epochs },
      sizes,
      memory: traits.memory ? plan.memory : null,
      adversarialSteps: traits.adversarial ? plan.adversarialSteps : 0,
    });
    return {
      variant,
      cell: { namespace: "model", label: `${name} ${variant}`, cost: fineTune },
      evaluations: evaluationsOf(config, plan, variant).map((options) => ({
        options,
        cell: {
          namespace: "cell",
          label: `${name} ${options.defense}`,
          cost: CELL_COSTS.defense(plan, { ...options, memory: traits.memory ? options.memory : null }),
        },
      })),
    };
  });
  return { base, variants };
}
