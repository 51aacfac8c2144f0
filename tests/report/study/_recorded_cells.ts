/**
 * The cells the study's stages issue for a config, without computing any: each stage runs with a
 * stand-in context that records the batch it declares and every cell it issues (with the key of its
 * inputs), and answers each cell with a stand-in value (no cell computes).
 *
 * @module
 */
import { hashValue } from "../../../lib/cache/hash.ts";
import { openCache } from "../../../lib/cache/store.ts";
import { type CellBatch, cellBatch, type CellCost } from "../../../lib/report/pipeline/cell_partition.ts";
import { attackStage } from "../../../lib/report/study/attack_stage.ts";
import { dataStage } from "../../../lib/report/study/data_stage.ts";
import { defenseStage } from "../../../lib/report/study/defense_stage.ts";
import { localizeStage } from "../../../lib/report/study/localize_stage.ts";
import type { ReportConfig } from "../../../lib/report/study/report_config.ts";
import { trainStage } from "../../../lib/report/study/train_stage.ts";
import type { MemoOptions, Stage, StageContext, TrainedModel } from "../../../lib/report/types.ts";

/** A cell a stage issued: namespace, label, key (of its inputs) and its batch's cost for it. */
export interface IssuedCell extends CellCost {
  key: string;
}

/** What one stage declared and issued. */
export interface RecordedStage {
  stage: string;
  /** The cells of the batches it declared. */
  declared: CellCost[];
  /** The cells it issued. */
  issued: IssuedCell[];
}

/** Split sizes of the built-in datasets' `smoke` size. */
const SMOKE_SIZES = { train: 120, val: 40, test: 40 };

function trainedModel(dataset: string, id: string, kind: TrainedModel["kind"], fusion: string): TrainedModel {
  return {
    dataset,
    datasetHash: `hash of ${dataset}`,
    model: id,
    kind,
    fusion,
    key: `key of ${dataset} ${id}`,
    checkpoint: "artifacts/none",
    checkpointHash: "",
    bestEpoch: 0,
    valAccuracy: 0,
    testAccuracy: 0,
    history: [],
    seconds: 0,
  };
}

/** The stand-in value of a cell: what the stage reads from it, empty. */
function standIn(stage: string, namespace: string, label: string): unknown {
  if (stage === "attack") {
    return namespace === "examples" ? { dataset: label, samples: [] } : { table: [], grid: [] };
  }
  if (namespace === "model") return trainedModel("", label, "av", "concat");
  return stage === "localize" ? { records: [], overlays: [] } : [];
}

/**
 * Records the cells of the `train`, `attack`, `localize` and `defense` stages for `config` (built-in
 * datasets at their smoke size).
 *
 * @param config A resolved report config.
 * @returns Per stage, the declared batch and the issued cells.
 */
export async function recordedCells(config: ReportConfig): Promise<RecordedStage[]> {
  const results: Record<string, unknown> = {
    data: {
      datasets: config.datasets.map((spec) => ({
        name: spec.name,
        source: "built-in",
        classes: [],
        sizes: SMOKE_SIZES,
        sampleRate: 8000,
        audioLength: 8000,
        imageShape: [28, 28, 1],
        hash: `hash of ${spec.name}`,
        skipped: [],
      })),
    },
    train: {
      models: config.datasets.flatMap((spec) =>
        config.models.map((m) => trainedModel(spec.name, m.id, m.kind, m.fusion))
      ),
    },
  };
  // Never read nor written: no cell computes.
  const cache = openCache("/nonexistent/avrobust-recorded-cells");
  const recorded: RecordedStage[] = [];
  const stages: Stage<ReportConfig, unknown>[] = [trainStage, attackStage, localizeStage, defenseStage];
  for (const stage of stages) {
    const out: RecordedStage = { stage: stage.name, declared: [], issued: [] };
    const context: StageContext<ReportConfig> = {
      config,
      inputs: stage.inputs(config),
      key: "",
      cache,
      artifactDir: `artifacts/${stage.name}`,
      codeVersion: "stand-in",
      get: <R>(needed: Stage<ReportConfig, R>) => {
        if (needed !== dataStage && needed !== trainStage) {
          throw new RangeError(`no stand-in for ${needed.name}`);
        }
        return results[needed.name] as R;
      },
      async memo<T>(namespace: string, inputs: unknown, _compute: unknown, options: MemoOptions<T> = {}) {
        const label = options.label ?? "";
        const cost = declaredCost(out.declared, options.batch, namespace, label);
        const key = await hashValue({ inputs, codeVersion: "stand-in" });
        out.issued.push({ namespace, label, cost, key });
        return standIn(stage.name, namespace, label) as T;
      },
      cellBatch(cells) {
        out.declared.push(...cells);
        return cellBatch(cells, 1);
      },
      exclusive: (_name, work) => work(),
      resource: (_name, open) => open(),
      progress: () => {},
    };
    await stage.run(context);
    recorded.push(out);
  }
  return recorded;
}

/** The declared cost of an issued cell. */
function declaredCost(declared: CellCost[], batch: CellBatch | undefined, namespace: string, label: string) {
  if (batch?.ownerOf(namespace, label) === undefined) {
    throw new RangeError(`cell ${namespace} '${label}' was issued outside a batch`);
  }
  const cell = declared.find((c) => c.namespace === namespace && c.label === label);
  if (cell === undefined) throw new RangeError(`cell ${namespace} '${label}' is not declared`);
  return cell.cost;
}
