/**
 * The `defense` stage: fine-tunes the paper's defense, its ablations and the baselines from the trained
 * base model (through the train stage's cell code and cache), and evaluates each under adaptive attacks.
 *
 * @module
 */
import { DEFENSE_BUDGETS } from "../../attacks/mod.ts";
import { type MemoryBanks, memoryBanks } from "../../defense/mod.ts";
import { tf } from "../../engine/tf.ts";
import type { AvModel } from "../../models/mod.ts";
import { loadCheckpoint } from "../../train/mod.ts";
import { defenseEpsilonChart } from "../charts/defense_epsilon.ts";
import { adversarialPerturbation, DEFENSE_TRAINING_SOURCES, memoryInTheLoop } from "./_defense_training.ts";
import { DEFENSE_CELL_SOURCES, defenseCell } from "./_defense_cell.ts";
import { type DatasetDefenseCells, defenseCells, type DefenseEvaluation } from "./_defense_cells.ts";
import {
  checkpointProblem,
  modelsProblem,
  TRAIN_CELL_SOURCES,
  trainCell,
  type TrainCellJob,
} from "./_train_cell.ts";
import { dataStage, openReportDataset } from "./data_stage.ts";
import { DEFENSE_VARIANTS, type DefensePlan } from "./defense_plan.ts";
import { type DefenseRecord, defenseTableMarkdown, defenseVerdict } from "./defense_table.ts";
import { parseModelId } from "./model_ids.ts";
import type { DatasetSpec, ReportConfig } from "./report_config.ts";
import { trainingStudyInputs } from "./_stage_inputs.ts";
import { readyBackend, trainStage } from "./train_stage.ts";
import { visualStdOf } from "./visual_std.ts";
import type { CellBatch } from "../pipeline/cell_partition.ts";
import type { DatasetSummary, Stage, StageContext, TrainedModel } from "../types.ts";

export type { DefenseRecord } from "./defense_table.ts";

/** What the `defense` stage returns. */
export interface DefenseStageResult {
  /** The fine-tuned variants, datasets outermost. */
  models: TrainedModel[];
  /** Every measured row. */
  records: DefenseRecord[];
}

function defenseSection(result: DefenseStageResult): string {
  if (result.records.length === 0) return "";
  return [
    "## The paper's defense under adaptive attacks (Table 3)",
    "",
    "Each model is fine-tuned from the same base checkpoint for the same epochs. Cells: accuracy (%) under the " +
    "per-sample worst case of every attack (end-to-end PGD and APGD with CE, margin and CE + cos losses, BPDA " +
    "through the linear and identity surrogates, transfer from the undefended base, Square), with 95% " +
    "bootstrap intervals. The defense is deterministic (checked), so EOT has nothing to average.",
    "",
    defenseTableMarkdown(result.records),
    "",
    defenseVerdict(result.records),
  ].join("\n");
}

/** What the attacks of an evaluation cell depend on (the samples and budgets come per cell). */
function attackSettings(plan: DefensePlan) {
  const { batchSize, steps, restarts, squareQueries, largeEpsilon, resamples } = plan;
  return { batchSize, steps, restarts, squareQueries, largeEpsilon, resamples };
}

/**
 * The `defense` stage. Each variant is a train cell (same code and cache as the `train` stage, started
 * from the base checkpoint) keyed by the base's key, the variant's settings and the source hash of the
 * training and defense code; each evaluation is a cell keyed by the fine-tuned model's key, the plan and
 * the budgets. Ablations vary the paper's defense at test time. A config without a plan records nothing.
 *
 * @example
 * ```ts ignore
 * const { results } = await runPipeline(REPORT_STAGES, config, { cacheDir: ".cache/report" });
 * ```
 */
export const defenseStage: Stage<ReportConfig, DefenseStageResult> = {
  name: "defense",
  description: "fine-tune the paper's defense and the baselines; attack each adaptively",
  needs: ["data", "train"],
  sources: [import.meta.url],
  inputs: (config) => ({ defense: config.defense, ...trainingStudyInputs(config) }),
  artifacts: (result) => result.models.map((m) => `${m.checkpoint}/checkpoint.json`),
  verify: (result, cacheDir) => modelsProblem(cacheDir, result.models),
  report: (result) => ({
    sections: [defenseSection(result)].filter((s) => s !== ""),
    results: { defense: result.records },
    charts: result.records.length > 0 ? [defenseEpsilonChart(result.records)] : [],
  }),
  async run(context) {
    const plan = context.config.defense;
    if (plan === null) return { models: [], records: [] };
    const { config } = context;
    const trained = context.get(trainStage).models;
    const jobs = config.datasets.map((spec, d) => {
      const summary = context.get(dataStage).datasets[d];
      if (summary === undefined) throw new RangeError(`Cannot defend: no dataset ${d}`);
      const base = trained.find((m) => m.dataset === spec.name && m.model === plan.base);
      return { spec, d, summary, base, cells: defenseCells(config, plan, summary, base !== undefined) };
    });
    // Datasets and variants are issued together, as one batch that shards split by estimated cost: one
    // process computes one cell at a time, and processes that share the cache (workers, shards) take the
    // next.
    const batch = context.cellBatch(jobs.flatMap(({ cells: { base, variants } }) => [
      ...(base ? [base] : []),
      ...variants.flatMap((v) => [v.cell, ...v.evaluations.map((e) => e.cell)]),
    ]));
    const perDataset = await Promise.all(jobs.map(async (job) => {
      const out = await defendDataset(context, plan, { ...job, batch });
      context.progress(`defense ${job.spec.name} done`, (job.d + 1) / config.datasets.length);
      return out;
    }));
    const models: TrainedModel[] = perDataset.flatMap((out) => out.models);
    const records: DefenseRecord[] = perDataset.flatMap((out) => out.records);
    return { models, records };
  },
};

/** One dataset (the `d`-th) and its cells: the trained base model (if the train stage has it), the batch. */
interface DatasetJob {
  spec: DatasetSpec;
  d: number;
  summary: DatasetSummary;
  base: TrainedModel | undefined;
  cells: DatasetDefenseCells;
  batch: CellBatch;
}

async function defendDataset(
  context: StageContext<ReportConfig>,
  plan: DefensePlan,
  dataset: DatasetJob,
): Promise<DefenseStageResult> {
  const { config } = context;
  const { spec, d, summary, cells, batch } = dataset;
  const { kind, fusion } = parseModelId(plan.base);
  const model = { ...config.model, kind, fusion, seed: config.seed };
  const job = {
    dataset: spec.name,
    datasetHash: summary.hash,
    open: () => openReportDataset(context, spec),
    kind,
    fusion,
    total: plan.variants.length,
  };
  const base = dataset.base ??
    await context.memo(
      "model",
      { datasetHash: summary.hash, model, train: { ...config.train, seed: config.seed } },
      (key) =>
        trainCell(context, {
          ...job,
          key,
          model: plan.base,
          inputs: { model, train: { ...config.train, seed: config.seed } },
          done: 0,
        }),
      { sources: TRAIN_CELL_SOURCES, label: cells.base?.label ?? plan.base, batch },
    );
  const opened: { base: Promise<AvModel> | null } = { base: null };
  const bankBySize = new Map<number, Promise<MemoryBanks>>();
  const baseModel = () =>
    opened.base ??= (async () => {
      await readyBackend(context);
      const path = `${context.cache.root}/${base.checkpoint}`;
      return (await loadCheckpoint(path, { datasetHash: base.datasetHash })).model;
    })();
  const banks = (size: number): Promise<MemoryBanks> => {
    const known = bankBySize.get(size);
    if (known) return known;
    const built = (async () => {
      const dataset = await openReportDataset(context, spec);
      const shape = { split: dataset.splits.train, shape: dataset };
      return await memoryBanks(await baseModel(), shape, { size, seed: config.seed });
    })();
    bankBySize.set(size, built);
    return built;
  };
  const attackSeed = config.attack.seed ?? config.seed;
  // Kept in every row for the budgets' pixel sizes (the cells' records do not hold it).
  const visualStd = visualStdOf(config.model, summary.imageShape[2] ?? 1);
  const withStd = (rows: DefenseRecord[]) => rows.map((r) => ({ ...r, visualStd: [...visualStd] }));
  try {
    const perVariant = await Promise.all(cells.variants.map(async ({ variant, cell, evaluations }, v) => {
      const out: DefenseStageResult = { models: [], records: [] };
      const traits = DEFENSE_VARIANTS[variant];
      const train = {
        ...config.train,
        epochs: plan.epochs,
        dissimilarityWeight: traits.dissimilarity ? plan.dissimilarityWeight : 0,
        seed: config.seed,
      };
      const inputs = {
        base: base.key,
        variant,
        model,
        train,
        memory: traits.memory ? plan.memory : null,
        adversarial: traits.adversarial
          ? { steps: plan.adversarialSteps, budget: DEFENSE_BUDGETS.joint }
          : null,
      };
      const trained = await context.memo("model", inputs, async (key) => {
        const fineTune: NonNullable<TrainCellJob["fineTune"]> = {
          initialCheckpoint: `${context.cache.root}/${base.checkpoint}`,
        };
        const loop = traits.memory ? memoryInTheLoop(await banks(plan.memory.size), plan.memory) : null;
        if (loop) fineTune.wrap = loop.wrap;
        if (traits.adversarial) fineTune.perturb = adversarialPerturbation(plan, attackSeed);
        try {
          return await trainCell(context, {
            ...job,
            key,
            model: variant,
            inputs: { model, train },
            done: v,
            fineTune,
          });
        } finally {
          loop?.dispose();
        }
      }, {
        sources: [...TRAIN_CELL_SOURCES, ...DEFENSE_TRAINING_SOURCES],
        label: cell.label,
        batch,
        valid: async (value) => (await checkpointProblem(context.cache.root, value)) === undefined,
      });
      out.models.push(trained);
      const evaluate = async (options: DefenseEvaluation, label: string) =>
        await context.memo(
          "cell",
          {
            model: trained.key,
            base: base.key,
            variant,
            attacks: attackSettings(plan),
            ...options,
            attackSeed,
          },
          async () => {
            context.progress(
              `defense ${spec.name} ${options.defense}`,
              (d + (v + 0.5) / plan.variants.length) / config.datasets.length,
            );
            const dataset = await openReportDataset(context, spec);
            const { model: loaded } = await loadCheckpoint(`${context.cache.root}/${trained.checkpoint}`, {
              datasetHash: trained.datasetHash,
            });
            try {
              const bank = traits.memory ? await banks(options.memory.size) : null;
              return await defenseCell(
                { model: loaded, banks: bank, memory: options.memory, base: await baseModel() },
                dataset,
                { ...options, dataset: spec.name, variant, plan, seed: attackSeed },
              );
            } finally {
              loaded.dispose();
            }
          },
          { sources: DEFENSE_CELL_SOURCES, label, batch },
        );
      // Table 3's cell, then the ablations (the paper's defense only).
      const rows = await Promise.all(evaluations.map(({ options, cell }) => evaluate(options, cell.label)));
      for (const row of rows) out.records.push(...withStd(row));
      return out;
    }));
    return {
      models: perVariant.flatMap((out) => out.models),
      records: perVariant.flatMap((out) => out.records),
    };
  } finally {
    (await opened.base?.catch(() => null))?.dispose();
    for (const built of bankBySize.values()) {
      const bank = await built.catch(() => null);
      tf.dispose([bank?.audio, bank?.visual].flatMap((t) => (t ? [t] : [])));
    }
  }
}
