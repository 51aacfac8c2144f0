/**
 * The `attack` stage: the paper's four settings (Tables 1 and 2) and the ε grid (Fig. 3, heat map) for
 * every trained model, through lib/eval's cached sweeps, and per dataset a few adversarial examples to
 * hear and see.
 *
 * @module
 */
import { budgetGrid } from "../../attacks/mod.ts";
import type { Budget } from "../../attacks/mod.ts";
import { runSweep, type SweepOptions } from "../../eval/mod.ts";
import type { EvalRecord } from "../../eval/mod.ts";
import { backendTensorLimit, gibibytes, loadCheckpoint, planStepBatch } from "../../train/mod.ts";
import { tf } from "../../engine/tf.ts";
import type { BuiltModel } from "../../models/mod.ts";
import { exampleFiles, type ExampleSet, examplesHtml } from "../examples/mod.ts";
import type { CellBatch } from "../pipeline/cell_partition.ts";
import { CELL_COSTS } from "./cell_costs.ts";
import { EXAMPLES_CELL_SOURCES, examplesCell } from "./_examples_cell.ts";
import { summarizeChecks } from "./check_summary.ts";
import { fromEvalRecords } from "./from_eval_records.ts";
import type { ReportConfig } from "./report_config.ts";
import { dataStage, openReportDataset } from "./data_stage.ts";
import { readyBackend, trainStage } from "./train_stage.ts";
import { visualStdOf } from "./visual_std.ts";
import type { ReportRecord, Stage, StageContext, TrainedModel } from "../types.ts";

/** What the `attack` stage returns: every sweep record, by study. */
export interface AttackStageResult {
  /** Cells of the paper's four settings, for each attack of the plan. */
  table: EvalRecord[];
  /** Cells of the ε grid. */
  grid: EvalRecord[];
  /** Per dataset with a model to attack, the adversarial examples (none when the plan has none). */
  examples: ExampleSet[];
  /**
   * Per dataset name, the visual std of its models (`visualStdOf`), which {@linkcode attackRecords} keeps
   * in each record for the budgets' pixel sizes.
   */
  visualStd: Record<string, number[]>;
}

const CLEAN: Budget = { norm: "linf", audio: 0, visual: 0, visualUnits: "normalized" };

/** Budgets that attack only what a model reads (the rest would repeat a unimodal cell). */
function readable(budgets: readonly Budget[], kind: TrainedModel["kind"]): Budget[] {
  return budgets.filter((b) => (kind !== "audio" || b.visual === 0) && (kind !== "visual" || b.audio === 0));
}

async function sweepModel(
  context: StageContext<ReportConfig>,
  trained: TrainedModel,
  plan: { attacks: SweepOptions["attacks"]; budgets: Budget[]; samples: number },
  label: string,
  fraction: [number, number],
): Promise<EvalRecord[]> {
  const { config } = context;
  const spec = config.datasets.find((d) => d.name === trained.dataset);
  if (spec === undefined) {
    throw new RangeError(`Cannot attack: no dataset '${trained.dataset}' in the config`);
  }
  await readyBackend(context);
  const dataset = await openReportDataset(context, spec);
  const { model } = await loadCheckpoint(`${context.cache.root}/${trained.checkpoint}`, {
    datasetHash: trained.datasetHash,
  });
  try {
    const batchSize = await fittingAttackBatch(
      context,
      model,
      `${label} ${trained.dataset} ${trained.model}`,
    );
    return await runSweep({
      models: [{ name: trained.model, model, hash: trained.key }],
      data: { name: trained.dataset, hash: trained.datasetHash, split: dataset.splits.test, shape: dataset },
      attacks: plan.attacks,
      budgets: plan.budgets,
      n: plan.samples,
      batchSize,
      seed: config.attack.seed ?? config.seed,
      // Cell keys hold the sweep's own default code hash (the closure of the attack and eval code), so an
      // edit to the report code reuses every cell.
      cacheDir: `${context.cache.root}/eval`,
      onWarning: (message) => context.progress(message),
      // The summary counts the stage's cells (one per model); the sweep's own cells show as progress.
      onProgress: (event) => {
        if (event.status !== "running") return;
        const [start, width] = fraction;
        context.progress(
          `${label} ${trained.dataset} ${trained.model}: ${event.attack}, ${event.budget} (${event.cell}/${event.cells})`,
          start + (width * (event.cell - 1)) / event.cells,
        );
      },
    });
  } finally {
    model.dispose();
  }
}

/**
 * The plan's attack batch, or, where an attack step of that batch would not fit the backend's tensor
 * limit (wasm: 3 GiB; the paper's models at batch 12 do not), the largest near-equal part that does,
 * from `estimateStepMemory` at batch 1 and 2. The batch is part of every sweep cell's key.
 *
 * @throws {StepMemoryError} If one sample's attack step does not fit.
 */
async function fittingAttackBatch(
  context: StageContext<ReportConfig>,
  model: BuiltModel,
  label: string,
): Promise<number> {
  const wanted = context.config.attack.batchSize;
  const limit = backendTensorLimit(tf.getBackend());
  if (!Number.isFinite(limit) || context.config.model.preset !== "paper") return wanted;
  const plan = await planStepBatch(model, "attack", wanted, { limitBytes: limit });
  if (plan.batch < wanted) {
    context.progress(
      `${label}: an attack step of ${wanted} needs about ${gibibytes(plan.batchBytes)} of tensors (limit ` +
        `${gibibytes(limit)}): batches of ${plan.batch}`,
    );
  }
  return plan.batch;
}

/** The page's section of adversarial examples (HTML: it holds audio players), or "" without any. */
function examplesSection(examples: readonly ExampleSet[]): string {
  const body = examplesHtml(examples);
  if (body === "") return "";
  return `<h2 id="adversarial-examples">Adversarial examples</h2>\n${body}\n<p>The same media as files: ` +
    `<a href="examples/index.html">examples/index.html</a> (WAV, SVG and PNG files per sample; ` +
    "<code>examples/index.json</code> lists them with the predictions and amplification factors).</p>";
}

/** A model's cells' label (its sweeps' and its examples'), e.g. `av-digits av-concat`. */
function cellLabel(trained: TrainedModel): string {
  return `${trained.dataset} ${trained.model}`;
}

/** The model whose examples a dataset shows: the plan's, else the dataset's first audio-visual model. */
function exampleModel(
  models: readonly TrainedModel[],
  dataset: string,
  id: string,
): TrainedModel | undefined {
  const own = models.filter((m) => m.dataset === dataset);
  return own.find((m) => m.model === id) ?? own.find((m) => m.kind === "av");
}

/** The examples cell of one dataset (cached under the model's key, the plan, the settings and the seed). */
function examplesOf(
  context: StageContext<ReportConfig>,
  trained: TrainedModel,
  plan: NonNullable<ReportConfig["attack"]["examples"]>,
  batch: CellBatch,
): Promise<ExampleSet> {
  const { config } = context;
  const { audio, visual, joint } = config.attack.settings;
  const settings = [
    { setting: "audio" as const, budget: audio },
    { setting: "visual" as const, budget: visual },
    { setting: "joint" as const, budget: joint },
  ];
  const seed = config.attack.seed ?? config.seed;
  const inputs = {
    model: trained.key,
    plan,
    settings,
    seed,
    batchSize: config.attack.batchSize,
    backend: config.backend,
  };
  return context.memo("examples", inputs, async () => {
    const spec = config.datasets.find((d) => d.name === trained.dataset);
    if (spec === undefined) {
      throw new RangeError(`Cannot attack: no dataset '${trained.dataset}' in the config`);
    }
    context.progress(`examples ${trained.dataset} ${trained.model}`);
    await readyBackend(context);
    const dataset = await openReportDataset(context, spec);
    const { model } = await loadCheckpoint(`${context.cache.root}/${trained.checkpoint}`, {
      datasetHash: trained.datasetHash,
    });
    try {
      return await examplesCell(model, dataset, {
        name: trained.dataset,
        model: trained.model,
        samples: plan.samples,
        attack: plan.attack,
        settings,
        seed,
        batchSize: config.attack.batchSize,
      });
    } finally {
      model.dispose();
    }
  }, { sources: EXAMPLES_CELL_SOURCES, label: cellLabel(trained), batch });
}

/**
 * The `attack` stage. Each cell is cached by lib/eval under the model's identity (the train cell key),
 * the dataset hash, the resolved attack, budget, samples, seed, backend and the source hash of the sweep's
 * code, so a changed attack setting recomputes only its own cells. The adversarial examples are one cell
 * per dataset (namespace `examples`), keyed by the attacked model's train key, the example plan, the
 * three settings, the attack seed, the batch size, the backend and the source hash of `_examples_cell.ts`'s
 * closure; the page renders them (section "Adversarial examples") and writes them under `examples/`.
 *
 * @example
 * ```ts ignore
 * const { results } = await runPipeline(REPORT_STAGES, config, { cacheDir: ".cache/report" });
 * ```
 */
export const attackStage: Stage<ReportConfig, AttackStageResult> = {
  name: "attack",
  description: "attack every model: the paper's four settings, the ε grid and a few examples to hear and see",
  needs: ["data", "train"],
  sources: [import.meta.url],
  inputs: (config) => ({ attack: config.attack, seed: config.seed, backend: config.backend }),
  report: (result) => ({
    records: attackRecords(result),
    checks: summarizeChecks([...result.table, ...result.grid]),
    sections: [{ html: examplesSection(result.examples) }].filter((s) => s.html !== ""),
    files: exampleFiles(result.examples),
  }),
  async run(context) {
    const plan = context.config.attack;
    const { models } = context.get(trainStage);
    const table: EvalRecord[] = [];
    const grid: EvalRecord[] = [];
    const settings = [CLEAN, plan.settings.audio, plan.settings.visual, plan.settings.joint];
    const gridBudgets = plan.grid
      ? budgetGrid({ values: plan.grid.values, norm: plan.grid.norm, visualUnits: plan.grid.visualUnits })
      : [];
    const examplePlan = plan.examples;
    const exampleModels = examplePlan === null
      ? []
      : context.config.datasets.flatMap((d) => exampleModel(models, d.name, examplePlan.model) ?? []);
    const planned = models.map((trained) => {
      const onGrid = plan.grid !== null &&
        (plan.grid.models === null || plan.grid.models.includes(trained.model));
      const sweeps = {
        table: { attacks: plan.attacks, budgets: readable(settings, trained.kind), samples: plan.samples },
        grid: plan.grid && onGrid
          ? {
            attacks: [plan.grid.attack],
            budgets: readable(gridBudgets, trained.kind),
            samples: plan.grid.samples,
          }
          : null,
      };
      return { trained, sweeps };
    });
    // The sweeps and the examples are one batch: shards split it by estimated cost.
    const batch = context.cellBatch([
      ...planned.map(({ trained, sweeps }) => ({
        namespace: "model",
        label: cellLabel(trained),
        cost: CELL_COSTS.sweep(trained.kind, sweeps.grid ? [sweeps.table, sweeps.grid] : [sweeps.table]),
      })),
      ...(examplePlan === null ? [] : exampleModels.map((trained) => ({
        namespace: "examples",
        label: cellLabel(trained),
        cost: CELL_COSTS.examples(trained.kind, examplePlan),
      }))),
    ]);
    const examples = examplePlan === null
      ? Promise.resolve([])
      : Promise.all(exampleModels.map((trained) => examplesOf(context, trained, examplePlan, batch)));
    // One cell per model (its table and grid sweeps), issued together: one process attacks one model at a
    // time, and processes that share the cache (workers, shards) take the next. The sweep's own cache
    // keeps each (attack, budget) cell, so an interrupted model resumes where it stopped.
    const sweepCells = Promise.all(planned.map(({ trained, sweeps }, index) => {
      const at = (part: number): [number, number] => [
        (index + part / 2) / models.length,
        0.5 / models.length,
      ];
      const inputs = {
        model: trained.key,
        sweeps,
        batchSize: context.config.attack.batchSize,
        seed: context.config.attack.seed ?? context.config.seed,
        backend: context.config.backend,
      };
      return context.memo("model", inputs, async () => ({
        table: await sweepModel(context, trained, sweeps.table, "table", at(0)),
        grid: sweeps.grid ? await sweepModel(context, trained, sweeps.grid, "grid", at(1)) : [],
      }), { label: cellLabel(trained), batch });
    }));
    // The examples cells are issued with the sweeps, so that processes sharing the cache split them too.
    const [perModel, exampleSets] = await Promise.all([sweepCells, examples]);
    for (const cell of perModel) {
      table.push(...cell.table);
      grid.push(...cell.grid);
    }
    const { datasets } = context.get(dataStage);
    const visualStd = Object.fromEntries(
      datasets.map((d) => [d.name, visualStdOf(context.config.model, d.imageShape[2] ?? 1)]),
    );
    return { table, grid, examples: exampleSets, visualStd };
  },
};

/**
 * The report records of an `attack` stage result (table study, then grid), each with its model's visual
 * std where the result has it.
 *
 * @example
 * ```ts ignore
 * const records = attackRecords(results.attack);
 * ```
 */
export function attackRecords(result: AttackStageResult): ReportRecord[] {
  // A result stored before `visualStd` was kept has none: its budgets print without pixel sizes.
  const std = result.visualStd ?? {};
  return [...fromEvalRecords(result.table, "table", std), ...fromEvalRecords(result.grid, "grid", std)];
}
