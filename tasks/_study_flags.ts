/**
 * The study tasks' flags (`report`, `train`, `attack`, `localize`, `defend`) and the resolved config and
 * parallel options they give, every flag checked before any work.
 *
 * @module
 */
import { resolve } from "node:path";
import type { BackendName } from "../lib/engine/backend.ts";
import { attackNames } from "../lib/attacks/mod.ts";
import { sha256Hex } from "../lib/cache/mod.ts";
import {
  EXAMPLE_ATTACKS,
  REPORT_PROFILE_NAMES,
  type ReportConfig,
  resolveReportConfig,
  type VisualWeights,
} from "../lib/report/mod.ts";
import {
  booleanFlag,
  choiceFlag,
  type Flag,
  integerFlag,
  listFlag,
  type Parsed,
  stringFlag,
  UsageError,
} from "./_cli.ts";

const BACKENDS: readonly BackendName[] = ["wasm", "cpu", "webgpu", "tensorflow", "tensorflow-gpu"];

/** Flags every study task takes. */
export const STUDY_FLAGS: Record<string, Flag> = {
  profile: {
    type: "string",
    value: "NAME",
    default: "default",
    help: "smoke: tiny, for tests; default: the built-in supplement; full: the README's study; " +
      "paper: the paper's protocol on your data",
  },
  dataset: {
    type: "string",
    value: "NAME",
    multiple: true,
    help: "built-in datasets to keep (av-digits, av-instruments; comma lists work); with --profile paper, " +
      "the name of your dataset [default: the profile's]",
  },
  "data-root": { type: "string", value: "DIR", help: "your dataset (paper profile), with --layout csv" },
  layout: { type: "string", value: "csv", help: "layout of --data-root (paper profile)" },
  classes: {
    type: "string",
    value: "LIST",
    help: "class names of your dataset in label order; a val/test label outside them is an error " +
      "(paper profile) [default: the training split's classes]",
  },
  rehash: {
    type: "boolean",
    help: "hash your dataset's media by content, not size and modification time (paper profile)",
  },
  models: {
    type: "string",
    value: "LIST",
    help: "model ids to run: audio, visual, av-<fusion>, or all (every registered model); a model not in " +
      "the cache is trained first [default: the profile's]",
  },
  backend: { type: "string", value: "NAME", default: "wasm", help: `tensor backend: ${BACKENDS.join(", ")}` },
  seed: {
    type: "string",
    value: "N",
    default: "1234",
    help: "seed of models and training (and of attacks " +
      "unless the profile fixes one)",
  },
  "cache-dir": {
    type: "string",
    value: "DIR",
    default: ".cache/report",
    help: "the study's cache, shared by every task and the notebooks",
  },
  jobs: {
    type: "string",
    value: "N",
    default: "cores",
    help: "worker processes on this machine sharing the cells (same results as 1) [default: the cores]",
  },
  shard: {
    type: "string",
    value: "I/N",
    help: "compute only shard I of N (I from 0) into the cache, e.g. on a cluster; writes no report",
  },
  "cached-only": {
    type: "boolean",
    help: "compute nothing: render from the cache, failing and naming the first missing cell",
  },
};

/** How a study run shares its cells: worker processes, a shard, or the cache alone. */
export interface ParallelOptions {
  /** Worker processes (this one included). */
  jobs: number;
  /** This process's shard, if any. */
  shard?: { index: number; count: number };
  /** Never compute. */
  cachedOnly: boolean;
}

/**
 * The `--jobs`, `--shard` and `--cached-only` flags, checked before any work.
 *
 * @throws {UsageError} If a value is malformed or the flags contradict each other.
 */
export function parallelOptions(parsed: Parsed): ParallelOptions {
  const cores = navigator.hardwareConcurrency || 1;
  const jobs = stringFlag(parsed, "jobs") === "cores" ? cores : integerFlag(parsed, "jobs", 1, 256) ?? cores;
  const cachedOnly = booleanFlag(parsed, "cached-only");
  const text = stringFlag(parsed, "shard");
  if (text === undefined) return { jobs: cachedOnly ? 1 : jobs, cachedOnly };
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(count >= 1 && index >= 0 && index < count)) {
    throw new UsageError(`--shard must be I/N with 0 <= I < N, current value is '${text}'`);
  }
  if (cachedOnly) {
    throw new UsageError("--shard computes cells and --cached-only computes none: give one of them");
  }
  return { jobs: 1, shard: { index, count }, cachedOnly };
}

/** Flags of the tasks that attack (`report`, `attack`). */
export const ATTACK_FLAGS: Record<string, Flag> = {
  attacks: {
    type: "string",
    value: "LIST",
    help: `registered attacks to run: ${attackNames().join(", ")} (worstCase: the per-sample worst case of ` +
      "the others listed) [default: the profile's]",
  },
  samples: { type: "string", value: "N", help: "test samples attacked per cell [default: the profile's]" },
};

/** Flags of the adversarial examples (`report`, whose page and `examples/` folder show them). */
export const EXAMPLE_FLAGS: Record<string, Flag> = {
  examples: {
    type: "string",
    value: "N",
    help: "adversarial examples per dataset: the first N test samples the model classifies correctly, " +
      "attacked on the audio, the frame and both; 0: none [default: the profile's, 3]",
  },
  "examples-attack": {
    type: "string",
    value: "NAME",
    help: `attack of the adversarial examples: ${EXAMPLE_ATTACKS.join(", ")} (with the table study's ` +
      "settings of it where the profile has them) [default: the profile's, pgd]",
  },
};

/** Flags of the tasks that train (`report`, `train`). */
export const TRAIN_FLAGS: Record<string, Flag> = {
  epochs: { type: "string", value: "N", help: "training epochs of every model [default: the profile's]" },
  "visual-weights": {
    type: "string",
    value: "FILE",
    help: "torchvision resnet18 weights (safetensors, see deno task weights) the paper profile's visual " +
      "encoders start from [default: none, trained from scratch]",
  },
  "batch-size": {
    type: "string",
    value: "N",
    help:
      "training batch size of every model (e.g. for a dataset smaller than one batch) [default: the profile's]",
  },
  "micro-batch": {
    type: "string",
    value: "N|auto",
    help: "samples per forward/backward pass of training, gradients accumulated over the batch; auto: the " +
      "largest that fits the backend's memory [default: the profile's: auto for paper, else the whole batch]",
  },
};

/**
 * The resolved config of the flags. Every flag is checked here, before any work.
 *
 * @throws {UsageError} If a flag is out of range or names nothing known.
 */
export async function studyConfig(parsed: Parsed): Promise<ReportConfig> {
  const profile = choiceFlag(parsed, "profile", REPORT_PROFILE_NAMES, "default");
  const backend = choiceFlag(parsed, "backend", BACKENDS, "wasm");
  const seed = integerFlag(parsed, "seed", 0) ?? 1234;
  const datasets = listFlag(parsed, "dataset");
  const models = listFlag(parsed, "models");
  const attacks = "attacks" in parsed.values ? listFlag(parsed, "attacks") : undefined;
  const samples = integerFlag(parsed, "samples", 1);
  const epochs = integerFlag(parsed, "epochs", 1);
  const batchSize = "batch-size" in parsed.values ? integerFlag(parsed, "batch-size", 1) : undefined;
  const microRaw = stringFlag(parsed, "micro-batch");
  const microBatchSize = microRaw === undefined || microRaw === "auto" ? microRaw : Number(microRaw);
  if (typeof microBatchSize === "number" && !(Number.isSafeInteger(microBatchSize) && microBatchSize >= 1)) {
    throw new UsageError(`--micro-batch must be an integer >= 1 or 'auto', current value is '${microRaw}'`);
  }
  const weightsFile = stringFlag(parsed, "visual-weights");
  let visualWeights: VisualWeights | undefined;
  if (weightsFile !== undefined) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(weightsFile);
    } catch (error) {
      throw new UsageError(`--visual-weights cannot be read: ${(error as Error).message}`);
    }
    visualWeights = { path: resolve(weightsFile), sha256: await sha256Hex(bytes) };
  }
  const dataRoot = stringFlag(parsed, "data-root");
  const layout = stringFlag(parsed, "layout");
  const classes = listFlag(parsed, "classes");
  const rehash = booleanFlag(parsed, "rehash");
  const examples = integerFlag(parsed, "examples", 0);
  const examplesAttack = choiceFlag(parsed, "examples-attack", EXAMPLE_ATTACKS);
  if (examples === 0 && examplesAttack !== undefined) {
    throw new UsageError(
      "--examples 0 shows no examples, so --examples-attack has nothing to attack: give one of them",
    );
  }
  let config: ReportConfig;
  try {
    config = resolveReportConfig({
      profile,
      backend,
      seed,
      ...(datasets ? { datasets } : {}),
      ...(models ? { models } : {}),
      ...(attacks ? { attacks } : {}),
      ...(samples !== undefined ? { samples } : {}),
      ...(epochs !== undefined ? { epochs } : {}),
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(microBatchSize !== undefined ? { microBatchSize } : {}),
      ...(visualWeights ? { visualWeights } : {}),
      ...(dataRoot !== undefined ? { dataRoot } : {}),
      ...(layout !== undefined ? { layout } : {}),
      ...(classes ? { classes } : {}),
      ...(rehash ? { rehash } : {}),
      ...(examples !== undefined ? { examples } : {}),
      ...(examplesAttack !== undefined ? { examplesAttack } : {}),
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^Cannot build the [a-z ]*report: /, ""));
  }
  for (const spec of config.datasets) {
    if (spec.source !== "csv") continue;
    const info = await Deno.stat(spec.root).catch(() => null);
    if (info === null) throw new UsageError(`--data-root does not exist: ${spec.root}`);
    if (!info.isDirectory) throw new UsageError(`--data-root is not a folder: ${spec.root}`);
  }
  return config;
}
