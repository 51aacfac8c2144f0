/**
 * Types of the report pipeline: a {@linkcode Stage} is a named, cached step of the supplement, with the
 * JSON inputs that determine it and a `run` that computes a JSON result. Stages sit in an ordered
 * registry; later steps (localization, defense) plug in as further stages.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { CacheStore } from "../cache/store.ts";
import type { CellBatch, CellCost } from "./pipeline/cell_partition.ts";
import type { ExclusivelyOptions } from "./pipeline/cell_scheduler.ts";
import type { EpochRecord } from "../train/mod.ts";

/** A progress message from a running stage. */
export interface StageProgress {
  /** What is happening, e.g. `train av-digits av-concat: epoch 1/2`. */
  message: string;
  /** Fraction of the stage done, in [0, 1], where known. */
  fraction?: number;
}

/** Options of {@linkcode StageContext.memo}. */
export interface MemoOptions<T> {
  /** Whether a stored value can still be used. @default every stored value is valid */
  valid?: (value: T) => boolean | Promise<boolean>;
  /**
   * Entry modules of the code that computes the cell: the key holds `sourceHash` of their closure instead
   * of the stage's, so an edit elsewhere in the stage's closure (its report charts) reuses the cell.
   * @default the stage's `sources`
   */
  sources?: readonly (string | URL)[];
  /** What the cell is, for messages (e.g. `av-digits av-concat`); needed with `batch`. @default none */
  label?: string;
  /**
   * The batch (from {@linkcode StageContext.cellBatch}) that holds this cell under its namespace and
   * label: shards split a batch by estimated cost. @default none: a sharded run splits the cell by its key
   */
  batch?: CellBatch;
}

/** What a stage sees while it runs. */
export interface StageContext<C> {
  /** The resolved pipeline config (the same object every stage gets). */
  readonly config: C;
  /** What this stage's `inputs(config)` returned. */
  readonly inputs: unknown;
  /** This stage's cache key (hex). */
  readonly key: string;
  /** The pipeline's content-addressed store; put cell-level results here through {@linkcode memo}. */
  readonly cache: CacheStore;
  /**
   * A folder of this stage's own for files too large for JSON (checkpoints), relative to the cache root
   * (`artifacts/<stage>`); results should store paths relative to the cache root too, so that the task
   * and the notebooks (another working directory) share them. Not created in advance.
   */
  readonly artifactDir: string;
  /** The result of an earlier stage listed in `needs`, typed by that stage. */
  get<R>(stage: Stage<C, R>): R;
  /** `sourceHash` of this stage's `sources` (hex), part of its key and of its cells' keys by default. */
  readonly codeVersion: string;
  /**
   * Cached cell: returns the value filed under the hash of `inputs` plus a source hash (of
   * `options.sources`, else this stage's), or computes and files it; `compute` gets that cell key.
   * `options.valid` can reject a stored value (e.g. its checkpoint file is gone), which is then
   * recomputed. The run summary counts each distinct cell once, as cached or computed.
   */
  memo<T>(
    namespace: string,
    inputs: unknown,
    compute: (key: string) => Promise<T>,
    options?: MemoOptions<T>,
  ): Promise<T>;
  /**
   * Declares the cells the stage is about to issue together (those that depend on others' values too),
   * each with its namespace, label and estimated cost, and returns the batch to pass to their `memo`
   * calls: a sharded run splits the batch between its shards by cost (`partitionCells`), the same way on
   * every shard. Call it before issuing any of them, from the config and earlier stages' results only.
   * @throws {RangeError} If a cost is negative or not finite.
   */
  cellBatch(cells: readonly CellCost[]): CellBatch;
  /**
   * Runs `work` while holding the cross-process claim `name` when the pipeline shares its cells (workers,
   * shards), waiting while another process holds it, and like a cell, when no other cell of this process
   * computes. For work outside the cells that several processes would otherwise repeat (building a
   * dataset). In a cache-only run, `options.isCached` returning false throws a `MissingCellError`.
   */
  exclusive<T>(
    name: string,
    work: () => Promise<T>,
    options?: ExclusivelyOptions,
  ): Promise<T>;
  /**
   * A value shared by every stage of one pipeline run (a loaded dataset, the tensor backend), opened
   * at most once per `name`.
   */
  resource<T>(name: string, open: () => Promise<T>): Promise<T>;
  /** Reports progress. */
  progress(message: string, fraction?: number): void;
}

/**
 * One step of the supplement. The cache key of a stage is the hash of its name, `inputs(config)`, the
 * `sourceHash` of its `sources` and the results of the stages it `needs`. On a hit, `run` is not called.
 */
export interface Stage<C, R> {
  /** Unique name, e.g. `train`. */
  readonly name: string;
  /** One line for the progress output and the report. */
  readonly description: string;
  /** Earlier stages whose results this stage reads (by name). @default [] */
  readonly needs?: readonly string[];
  /** Entry modules whose import closure is this stage's code, usually `[import.meta.url]`. */
  readonly sources: readonly (string | URL)[];
  /** The JSON-serialisable part of the config that determines the result. */
  inputs(config: C): unknown;
  /** Computes the JSON-serialisable result. */
  run(context: StageContext<C>): Promise<R>;
  /** Files (relative to the cache root) a cached result relies on; if one is missing, the stage runs again. */
  artifacts?(result: R): string[];
  /**
   * Checks the files a stored result relies on (e.g. its checkpoints against their recorded hashes);
   * returns why the result cannot be used (the stage then runs again, its cells still cached where
   * valid), or undefined when it can. `cacheDir` is the cache root that artifact paths are relative to.
   */
  verify?(result: R, cacheDir: string): Promise<string | undefined>;
  /** What the result adds to the report page (records, check tallies, dataset summaries). */
  report?(result: R): StageReport;
}

/** A stage's contribution to the report. */
export interface StageReport {
  /** Measured cells. */
  records?: ReportRecord[];
  /** Sanity-check tallies (merged by id across stages). */
  checks?: CheckSummary[];
  /** Datasets. */
  datasets?: DatasetSummary[];
  /** Charts of the stage's own (records charts are added by the report). */
  charts?: ChartSpec[];
  /**
   * Sections written by the stage, after the tables, in order: Markdown (labels escaped with
   * `escapeMarkdown`), or {@linkcode HtmlSection}s where Markdown cannot say it (audio players).
   */
  sections?: (string | HtmlSection)[];
  /** Files the report folder gets beside the page (e.g. `examples/…` WAVs and PNGs). */
  files?: ReportFile[];
  /**
   * Further record lists by name (e.g. `localization`), written to `results.json` beside `records`
   * (JSON-serialisable rows).
   */
  results?: Record<string, unknown[]>;
}

/**
 * A section of the page as HTML, built by the project with every label from data escaped (`escapeHtml`);
 * the page embeds it as it is (Markdown sections go through a renderer with raw HTML off).
 */
export interface HtmlSection {
  /** The fragment, starting with its own heading. */
  html: string;
}

/** A file of the report folder. */
export interface ReportFile {
  /** Path relative to the report folder, `/`-separated, no `..`. */
  path: string;
  /** Its content. */
  data: Uint8Array | string;
}

/** How a stage's result was obtained in one run. */
export type StageStatus = "cached" | "ran";

/** The summary row of one stage. */
export interface StageSummary {
  /** Stage name. */
  name: string;
  /** Whether the result came from the cache. */
  status: StageStatus;
  /** The stage's cache key (hex). */
  key: string;
  /** `sourceHash` of the stage's `sources` that the key included (hex). */
  codeVersion: string;
  /** Wall-clock seconds spent on the stage in this run. */
  seconds: number;
  /** Distinct cells of the stage that were in the cache before this run. */
  cellsCached: number;
  /** Distinct cells of the stage computed in this run (by this process or by its worker processes). */
  cellsComputed: number;
}

/** What {@linkcode runPipeline} returns. */
export interface PipelineResult {
  /** Results by stage name. */
  results: Record<string, unknown>;
  /** One row per stage, in order. */
  summary: StageSummary[];
  /** Wall-clock seconds of the whole pipeline (hashing included). */
  seconds: number;
}

/** Events of a pipeline run, for progress output. */
export type PipelineEvent =
  | { type: "start"; stage: string; index: number; total: number; description: string }
  | { type: "progress"; stage: string; message: string; fraction?: number }
  | { type: "end"; stage: string; summary: StageSummary };

/** The attacked modalities of a budget. */
export type AttackSetting = "clean" | "audio" | "visual" | "joint";

/**
 * One measured cell of the supplement: a model's accuracy on a dataset under one attack and budget.
 * `results.json` holds every record; `results.csv` the same minus `cosine`.
 */
export interface ReportRecord {
  /** Dataset name (for user data: the name given on the command line). */
  dataset: string;
  /** Model id, e.g. `audio`, `visual`, `av-concat`. */
  model: string;
  /** Which encoders the model has. */
  kind: "audio" | "visual" | "av";
  /** Fusion of an `av` model; `none` for unimodal models. */
  fusion: string;
  /** The attack's registry name (`fgsm`, `pgd`, …, `worstCase`), or `none` for clean accuracy. */
  attack: string;
  /**
   * The attack's options that differ from its registry defaults (`{}` for defaults and clean records).
   * `attackLabel` derives the display label and `attackKey` the grouping key from name and options.
   */
  attackOptions: Record<string, unknown>;
  /** `table`: the paper's four settings (Tables 1 and 2). `grid`: the ε sweep (Fig. 3, heat map). */
  study: "table" | "grid";
  /** Which modalities the budget attacks. */
  setting: AttackSetting;
  /** Norm of the threat model. */
  norm: "linf" | "l2";
  /** ε_a (waveform amplitude). */
  epsAudio: number;
  /** ε_v, in `visualUnits`. */
  epsVisual: number;
  /** Units of `epsVisual`. */
  visualUnits: "pixel" | "normalized";
  /**
   * The attacked model's visual normalisation std, per channel: a normalised ε_v is ε_v · std in [0, 1]
   * pixels, the size the tables and charts print beside it. @default unknown (records written before it
   * was kept): the budget prints without its pixel size
   */
  visualStd?: number[];
  /** Test samples still classified correctly. */
  correct: number;
  /** Test samples evaluated. */
  total: number;
  /** `correct / total`, in [0, 1]. */
  accuracy: number;
  /** Seed of the attack. */
  seed: number;
  /** Per sample: cos(f_v, f_a) of the features at the returned inputs (`av` models only). */
  cosine?: number[];
  /** Wall-clock seconds the cell took when it was computed. */
  seconds?: number;
  /** Ids of the sanity checks this cell failed (lib/eval `CHECK_DOCS` explains each). */
  flags?: string[];
}

/** A chart of the report: a Vega-Lite spec with a file name and caption. */
export interface ChartSpec {
  /** File stem, e.g. `accuracy_epsilon` (written as `<name>.vl.json` and `<name>.svg`). */
  name: string;
  /** Caption. */
  title: string;
  /** Number of data rows; a chart with 0 rows is left out of the report. */
  rows: number;
  /** The Vega-Lite spec, data inline. */
  spec: TopLevelSpec;
}

/** What the report says about one dataset. */
export interface DatasetSummary {
  /** Name. */
  name: string;
  /** Where it came from: `built-in` or the data root given. */
  source: string;
  /** Class names. */
  classes: string[];
  /** Samples per split. */
  sizes: Record<string, number>;
  /** Audio sample rate (Hz). */
  sampleRate: number;
  /** Samples per waveform. */
  audioLength: number;
  /** Frame shape. */
  imageShape: readonly number[];
  /** Content hash. */
  hash: string;
  /** Clips skipped while loading. */
  skipped: { path: string; reason: string }[];
}

/** How one sanity check (lib/eval `CHECK_DOCS`) fared over every evaluated cell. */
export interface CheckSummary {
  /** Check id, e.g. `zero-gradient`. */
  id: string;
  /** Short title. */
  title: string;
  /** "Raised if …". */
  raisedIf: string;
  /** What to do when it is raised. */
  whatToDo: string;
  /** Cells where it passed. */
  passed: number;
  /** Cells where it was raised. */
  flagged: number;
  /** Where it was raised and what was measured (at most a few, plain text). */
  examples: string[];
}

/** A trained model of the report. */
export interface TrainedModel {
  /** Dataset name. */
  dataset: string;
  /** Content hash of the dataset. */
  datasetHash: string;
  /** Model id (`audio`, `visual`, `av-<fusion>`). */
  model: string;
  /** Which encoders. */
  kind: "audio" | "visual" | "av";
  /** Fusion, or `none`. */
  fusion: string;
  /** Identity of the weights: the hash of everything that determined them (hex). */
  key: string;
  /** Folder of the best-validation checkpoint, relative to the cache root. */
  checkpoint: string;
  /** Content hash of that checkpoint (its `checkpoint.json` `contentSha256`), checked before it is reused. */
  checkpointHash: string;
  /** Epoch (0-based) of the best validation accuracy. */
  bestEpoch: number;
  /** Best validation accuracy. */
  valAccuracy: number;
  /** Test accuracy of the best weights. */
  testAccuracy: number;
  /**
   * Samples of the validation and test splits behind `valAccuracy` and `testAccuracy` (their intervals);
   * the train stage adds them from the dataset summary. @default unknown: the accuracies print alone
   */
  samples?: { val: number; test: number };
  /** Per-epoch metrics. */
  history: EpochRecord[];
  /** Wall-clock seconds of training. */
  seconds: number;
}
