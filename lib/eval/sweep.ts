/**
 * Robustness sweeps: every model × attack × budget cell on the same samples, cached by content and
 * resumable per finished cell.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { createRng } from "../engine/random.ts";
import { type AvBatch, type BatchShape, disposeBatch, loadBatch } from "../data/batch.ts";
import type { AvSplit } from "../data/types.ts";
import type { AvModel, AvOutput } from "../models/types.ts";
import { disposeOutput } from "../models/dispose_output.ts";
import { budgetKind, budgetLabel } from "../attacks/budgets.ts";
import type { AttackSpec } from "../attacks/registry.ts";
import type { Budget } from "../attacks/types.ts";
import { hashValue, openCache, sourceHash } from "../cache/mod.ts";
import { evaluateCell } from "./_cell.ts";
import { buildRecord, describeAttack } from "./_record.ts";
import { applyCrossChecks, modelHash, openState, recordInState, selectIndices } from "./_sweep_state.ts";
import { probeModel } from "./probe.ts";
import { type CheckResult, EVAL_SCHEMA, type EvalRecord } from "./types.ts";

// The attack loop, the kernels and the forward pass all change the numbers a cell measures.
const SWEEP_SOURCES = [
  import.meta.url,
  new URL("../engine/backend.ts", import.meta.url),
  new URL("../models/create_model.ts", import.meta.url),
];

/** A model to evaluate. */
export interface SweepModel {
  /** Name in records and reports. */
  name: string;
  model: AvModel;
  /** Content hash of its weights (e.g. the checkpoint's). Default: computed from the variables. */
  hash?: string;
}

/** The samples to evaluate on. */
export interface SweepData {
  /** Dataset name and content hash (`AvDataset.name`, `AvDataset.hash`). */
  name: string;
  hash: string;
  /** Split name for the records. @default "test" */
  splitName?: string;
  split: AvSplit;
  shape: BatchShape;
}

/** A progress event of {@linkcode runSweep}. */
export interface SweepProgress {
  /** 1-based index of the cell and the number of cells. */
  cell: number;
  cells: number;
  model: string;
  attack: string;
  budget: string;
  /** Where the record came from, or "running" when the cell starts. */
  status: "running" | "computed" | "cached" | "resumed";
}

/** Options of {@linkcode runSweep}. */
export interface SweepOptions {
  models: SweepModel[];
  data: SweepData;
  attacks: AttackSpec[];
  budgets: Budget[];
  /** Samples to evaluate: all when the split is not larger, else a seeded subset (kept in split order). @default all */
  n?: number;
  /** Batch size. @default 32 */
  batchSize?: number;
  /** Seed of the sample subset and of every attack (it replaces the specs' own seeds, per batch). @default 0 */
  seed?: number;
  /** Content-addressed cache folder: a cell computed before is read back, not recomputed. */
  cacheDir?: string;
  /** Resume file, written atomically after every finished cell. */
  statePath?: string;
  /** Skip cells whose budget attacks only modalities the model does not read. @default true */
  skipUnread?: boolean;
  /** Keep all batches in memory across cells when they total at most this many bytes. @default 268435456 */
  preloadBytes?: number;
  /**
   * Content hash of the code that computes a cell: part of every cell key and recorded in every record.
   * @default `sourceHash` of this module's import closure (lib/attacks included), lib/engine/backend.ts
   * (the wasm kernels) and lib/models/create_model.ts (the forward pass)
   */
  codeVersion?: string;
  onProgress?: (event: SweepProgress) => void;
  /** Receives a line for each cached or resumed cell that failed its hash check (it is recomputed). */
  onWarning?: (message: string) => void;
  /** Called with every record as soon as its cell is done. */
  onRecord?: (record: EvalRecord) => void;
}

/**
 * Evaluates every model × attack × budget cell on the same samples and returns one record per cell,
 * with per-cell, per-model and cross-cell checks. A cell already in the cache (same data, model
 * weights, resolved attack, budget, samples, seed, batch size, backend and code hash) is read
 * back; with `statePath`, finished cells are recorded after each cell so an interrupted sweep resumes.
 * A cached or resumed record is used only if it matches the content hash it was stored with and its own
 * cell key; otherwise the cell is recomputed and `onWarning` says so.
 *
 * @param options Models, data, attacks, budgets and run settings.
 * @returns The records, in model → attack → budget order.
 * @throws {StateMismatchError} If `statePath` holds the state of another configuration.
 * @throws {RangeError} If a list is empty or `n`/`batchSize` is not a positive integer.
 *
 * @example ```ts ignore
 * const records = await runSweep({
 *   models: [{ name: "av-concat", model }],
 *   data: { name: dataset.name, hash: dataset.hash, split: dataset.splits.test, shape: dataset },
 *   attacks: [{ attack: "fgsm" }, { attack: "pgd" }],
 *   budgets: Object.values(PAPER_BUDGETS),
 *   n: 1000,
 *   cacheDir: ".cache/eval",
 *   statePath: "reports/sweep.state.json",
 * });
 * ```
 */
export async function runSweep(options: SweepOptions): Promise<EvalRecord[]> {
  const { models, data, attacks, budgets, batchSize = 32, seed = 0, skipUnread = true } = options;
  const { preloadBytes = 268435456, onProgress, onRecord } = options;
  const codeVersion = options.codeVersion ?? await sourceHash(SWEEP_SOURCES);
  for (
    const [name, list] of [["models", models], ["attacks", attacks], ["budgets", budgets]] satisfies [
      string,
      unknown[],
    ][]
  ) {
    if (!Array.isArray(list) || list.length === 0) {
      throw new RangeError(`Cannot run sweep: options.${name} must not be empty`);
    }
  }
  const n = Math.min(options.n ?? data.split.size, data.split.size);
  for (const [name, value] of [["n", n], ["batchSize", batchSize]] satisfies [string, number][]) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(
        `Cannot run sweep: options.${name} must be a positive integer, current value is ${value}`,
      );
    }
  }
  const indices = selectIndices(data.split.size, n, seed);
  const chunks = Array.from(
    { length: Math.ceil(n / batchSize) },
    (_, b) => indices.slice(b * batchSize, (b + 1) * batchSize),
  );
  const backend = tf.getBackend();
  const split = data.splitName ?? "test";
  const hashes = await Promise.all(models.map(async (m) => m.hash ?? await modelHash(m.model)));

  interface Cell {
    model: number;
    attack: AttackSpec;
    budget: Budget;
    key: string;
  }
  const cells: Cell[] = [];
  for (const [m, entry] of models.entries()) {
    const reads = new Set(entry.model.modalities);
    for (const attack of attacks) {
      for (const budget of budgets) {
        const kind = budgetKind(budget);
        const attacksRead = (budget.audio > 0 && reads.has("audio")) ||
          (budget.visual > 0 && reads.has("visual"));
        if (skipUnread && kind !== "clean" && !attacksRead) continue;
        const key = await hashValue({
          schema: EVAL_SCHEMA,
          codeHash: codeVersion,
          data: { name: data.name, hash: data.hash, split, size: data.split.size },
          model: { name: entry.name, hash: hashes[m], config: entry.model.config },
          attack: describeAttack(attack).config,
          budget: { ...budget, visualUnits: budget.visualUnits ?? "pixel" },
          n,
          seed,
          batchSize,
          backend,
        });
        cells.push({ model: m, attack, budget, key });
      }
    }
  }
  const configHash = await hashValue(cells.map((c) => c.key));
  const warn = options.onWarning ?? (() => {});
  const state = await openState(options.statePath, configHash, warn);
  const cache = options.cacheDir ? openCache(options.cacheDir, { onWarning: warn }) : null;

  const sampleBytes = 4 * (data.shape.audioLength + data.shape.imageShape.reduce((a, b) => a * b, 1));
  const preload = n * sampleBytes <= preloadBytes;
  const loaded = new Map<number, AvBatch>();
  const getBatch = async (b: number): Promise<AvBatch> => {
    const cached = loaded.get(b);
    if (cached) return cached;
    const batch = await loadBatch(data.split, chunks[b] ?? [], data.shape);
    if (preload) loaded.set(b, batch);
    return batch;
  };
  const releaseBatch = (batch: AvBatch) => {
    if (!preload) disposeBatch(batch);
  };
  const seedOf = (b: number) => createRng(seed).fork(`batch:${b}`).int(2 ** 31);
  // The clean output of each batch, for the model whose cells run now (cells are in model order).
  const cleanOutputs = new Map<number, AvOutput>();
  let cleanOwner = -1;
  const releaseCleanOutputs = () => {
    for (const output of cleanOutputs.values()) disposeOutput(output);
    cleanOutputs.clear();
  };
  const cleanOutputOf = (m: number, model: AvModel) => (b: number, batch: AvBatch): AvOutput => {
    if (m !== cleanOwner) {
      releaseCleanOutputs();
      cleanOwner = m;
    }
    let output = cleanOutputs.get(b);
    if (!output) {
      output = model.apply(batch.audio, batch.visual, { training: false });
      cleanOutputs.set(b, output);
    }
    return output;
  };

  const records: EvalRecord[] = [];
  const probes = new Map<number, CheckResult[]>();
  try {
    for (const [index, cell] of cells.entries()) {
      const entry = models[cell.model];
      if (!entry) continue;
      const described = describeAttack(cell.attack);
      const progress = (status: SweepProgress["status"]) =>
        onProgress?.({
          cell: index + 1,
          cells: cells.length,
          model: entry.name,
          attack: described.label,
          budget: budgetLabel(cell.budget),
          status,
        });
      let record: EvalRecord | undefined = state.records[cell.key];
      let status: SweepProgress["status"] = "resumed";
      if (!record && cache) {
        record = await cache.get<EvalRecord>("eval-cell", cell.key);
        status = "cached";
      }
      if (record) {
        record = { ...record, cached: true };
      } else {
        progress("running");
        let modelChecks = probes.get(cell.model);
        if (!modelChecks) {
          const first = await getBatch(0);
          modelChecks = (await probeModel(entry.model, first)).checks;
          releaseBatch(first);
          probes.set(cell.model, modelChecks);
        }
        const outcome = await evaluateCell(entry.model, cell.attack, cell.budget, {
          batches: chunks.length,
          getBatch,
          releaseBatch,
          cleanOutput: cleanOutputOf(cell.model, entry.model),
          seedOf,
        });
        record = buildRecord(
          {
            dataset: data.name,
            datasetHash: data.hash,
            split,
            model: entry.name,
            modelHash: hashes[cell.model] ?? "",
            seed,
            batchSize,
            backend,
            codeVersion,
            configHash: cell.key,
          },
          entry.model,
          cell.attack,
          cell.budget,
          outcome,
          modelChecks,
        );
        await cache?.put("eval-cell", cell.key, record);
        status = "computed";
      }
      await recordInState(state, options.statePath, record);
      records.push(record);
      progress(status);
      onRecord?.(record);
    }
  } finally {
    releaseCleanOutputs();
    for (const batch of loaded.values()) disposeBatch(batch);
  }
  return applyCrossChecks(records);
}
