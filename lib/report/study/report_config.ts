/**
 * Profiles of the supplement and the resolved config every stage reads.
 *
 * @module
 */
import type { AttackSpec, Budget } from "../../attacks/mod.ts";
import { BUILTIN_DATASETS, type BuiltinName, type BuiltinSize } from "../../data/builtin/builtin.ts";
import type { InstrumentScene } from "../../data/builtin/av_instruments.ts";
import type { BackendName } from "../../engine/backend.ts";
import type { ModelConfigInput } from "../../models/mod.ts";
import { type FusionName, FUSIONS, isFusionName } from "../../models/mod.ts";
import { type AttackName, ATTACKS } from "../../attacks/mod.ts";
import { knownModelIds, type ModelSpec, parseModelId } from "./model_ids.ts";
import type { LocalizerName } from "../../localize/mod.ts";
import { DEFENSE_PLANS, type DefensePlan } from "./defense_plan.ts";
import { epsilonValues, withSteps } from "./_attack_overrides.ts";
import { EXAMPLE_PLAN, type ExamplePlan, withExampleOverrides } from "./example_plan.ts";

export type { ModelSpec };
import { resolveTrainConfig, type TrainConfigInput } from "../../train/mod.ts";

/** Named settings of `deno task report` (and of `train`/`attack`, which run a prefix of the same study). */
export type ReportProfile = "smoke" | "default" | "full" | "paper";

/** The profile names, in the order `--help` lists them. */
export const REPORT_PROFILE_NAMES: readonly ReportProfile[] = ["smoke", "default", "full", "paper"];

/** Where a dataset comes from. */
export type DatasetSpec =
  | {
    source: "builtin";
    name: BuiltinName;
    size: BuiltinSize;
    seed: number;
    /** Frame composition (`av-instruments` only; see {@linkcode InstrumentScene}). @default "solo" */
    scene?: InstrumentScene;
  }
  | {
    source: "csv";
    name: string;
    root: string;
    audioLength: number;
    imageSize: number;
    skipBroken: boolean;
    /** Class names in label order. @default the training split's classes */
    classes?: string[];
    /** Hash media files by content instead of size and modification time. @default false */
    rehash?: boolean;
  };

/** The ε sweep: one attack over every (ε_v, ε_a) pair of `values` (pairs a model cannot read are skipped). */
export interface GridPlan {
  /** The attack. */
  attack: AttackSpec;
  /** ε values per modality, 0 included. */
  values: number[];
  /** Norm. */
  norm: Budget["norm"];
  /** Units of the visual ε. */
  visualUnits: "pixel" | "normalized";
  /** Model ids that get the sweep; null for every model. */
  models: string[] | null;
  /** Test samples per cell. */
  samples: number;
}

/** The attack study. */
export interface AttackPlan {
  /** Attacks of the table study (Tables 1 and 2); `worstCase` entries take the per-sample worst case. */
  attacks: AttackSpec[];
  /** The attacked settings of the table study (clean accuracy is always measured). */
  settings: { audio: Budget; visual: Budget; joint: Budget };
  /** The ε sweep (Fig. 3 and the heat map), or null for none. */
  grid: GridPlan | null;
  /** Test samples attacked per cell (the first ones, in split order). */
  samples: number;
  /** Samples per attack batch (with `seed`, it fixes each batch's random starts). */
  batchSize: number;
  /** Seed of the attacks and the sample subset. @default the config's `seed` */
  seed?: number;
  /**
   * Adversarial examples the report lets you hear and see (one cell per dataset), or null for none.
   * @default {@linkcode EXAMPLE_PLAN} (3 samples of `av-concat` under PGD; smoke: PGD with 3 steps)
   */
  examples: ExamplePlan | null;
}

/** The localization study (the `localize` stage). */
export interface LocalizePlan {
  /** Localizers and baselines measured on every input. */
  localizers: LocalizerName[];
  /** Classification attacks run on the localizer's classifier under the paper's three settings. */
  attacks: AttackSpec[];
  /**
   * Map attacks (PGD on the attention mass, per setting): steps; `out` pushes the mass out of the box,
   * `in` pulls it into the frame quadrant opposite the box's centre (targeted); each with and without
   * keeping the predicted class.
   */
  mapAttack: { steps: number; directions: ("out" | "in")[]; keepClass: boolean[] };
  /** Heat-map overlays in the report: samples (the first boxed ones), and the attack drawn per setting. */
  overlays: { samples: number; attack: string };
  /** Datasets measured (by name), or null for all of the config's. */
  datasets: string[] | null;
  /** Test samples (the first ones, in split order). */
  samples: number;
  /** Samples per batch. */
  batchSize: number;
  /** Bootstrap resamples of every interval (95%, seeded with the attack seed). */
  resamples: number;
  /**
   * The frames of built-in `av-instruments` the localizer is trained and measured on. `duet` (two
   * instruments of different classes side by side, each filling half the frame, one sounding) is a
   * variant of the dataset built for this stage only: on the classification study's `solo` frames the
   * sounding instrument is big and central, so a centre prior and a map that ignores the sound localize it
   * as well as the audio-guided one. Other datasets are measured as they are.
   * @default "duet"
   */
  scene: InstrumentScene;
}

/** Everything that determines the supplement (hashed into the stage keys, printed in provenance). */
export interface ReportConfig {
  /** The profile it came from. */
  profile: ReportProfile;
  /** Seed of models, training and attacks. */
  seed: number;
  /** Tensor backend. */
  backend: BackendName;
  /** Datasets, in report order. */
  datasets: DatasetSpec[];
  /** Models trained on every dataset. */
  models: ModelSpec[];
  /** Model settings shared by every model (preset and overrides). */
  model: Omit<ModelConfigInput, "kind" | "fusion" | "numClasses" | "audioLength" | "imageShape" | "seed">;
  /** Training settings. */
  train: TrainConfigInput;
  /** The attack study. */
  attack: AttackPlan;
  /** The localization study, or null for none. */
  localize: LocalizePlan | null;
  /**
   * The defense study (the `defense` stage: fine-tuned defenses and baselines under adaptive attacks), or
   * null for none. @default per profile, {@linkcode DEFENSE_PLANS}
   */
  defense: DefensePlan | null;
  /**
   * ImageNet-pretrained ResNet-18 weights (torchvision's, as safetensors) every model's visual encoder
   * starts from, with the file's SHA-256 (in the train cells' keys). Absent: trained from scratch.
   */
  visualWeights?: VisualWeights;
}

/** A torchvision `resnet18` safetensors file and its SHA-256. */
export interface VisualWeights {
  path: string;
  sha256: string;
}

/** What a caller (the task's flags, a notebook's environment) gives. */
export interface ReportRequest {
  /** @default "default" */
  profile?: ReportProfile;
  /** Built-in dataset names (smoke, default), or the name of the user dataset (paper). @default per profile */
  datasets?: string[];
  /** User data root (`paper`). */
  dataRoot?: string;
  /** User data layout (`paper`): only `csv` so far. */
  layout?: string;
  /** @default "wasm" */
  backend?: BackendName;
  /** @default 1234 */
  seed?: number;
  /**
   * Model ids to keep or add (`audio`, `visual`, `av-<fusion>`), or `all` for every registered model.
   * @default the profile's models
   */
  models?: string[];
  /**
   * Registered attack names to run instead of the profile's (its options where it has one); `worstCase`
   * adds the per-sample worst case over the others. @default the profile's
   */
  attacks?: string[];
  /** Test samples attacked per cell (table study and ε grid). @default the profile's */
  samples?: number;
  /** Training epochs of every model. @default the profile's training preset */
  epochs?: number;
  /**
   * Steps of every iterative attack of the attack study (table and grid; the worst case's members too).
   * @default each attack's own (the profile's)
   */
  steps?: number;
  /** ε values of the grid (Fig. 3 and the heat map; 0 is added). @default the profile's */
  epsilons?: number[];
  /** Adversarial examples per dataset; 0 for none. @default the profile's (`EXAMPLE_PLAN`: 3) */
  examples?: number;
  /**
   * The examples' attack, one of `EXAMPLE_ATTACKS` (with the table study's settings of it where the
   * profile has them). @default the profile's (PGD)
   */
  examplesAttack?: string;
  /** Training batch size of every model (e.g. a dataset smaller than the preset's batch). @default the preset's */
  batchSize?: number;
  /**
   * Samples per forward/backward pass of training (gradients accumulated over the batch), or `"auto"`
   * (the largest that fits the backend's memory, measured before training). @default the profile's
   * (`paper`: `"auto"`; the others: the whole batch)
   */
  microBatchSize?: number | "auto";
  /** Pretrained visual weights (the `paper` preset's ResNet-18 only). @default none: from scratch */
  visualWeights?: VisualWeights;
  /** Class names of the user dataset (`paper`), in label order. @default its training split's classes */
  classes?: string[];
  /** Hash the user dataset's media by content (`paper`). @default size and modification time */
  rehash?: boolean;
}

const PAPER_SETTINGS = {
  audio: { norm: "linf", audio: 0.012, visual: 0, visualUnits: "normalized" },
  visual: { norm: "linf", audio: 0, visual: 0.012, visualUnits: "normalized" },
  joint: { norm: "linf", audio: 0.006, visual: 0.006, visualUnits: "normalized" },
} as const satisfies AttackPlan["settings"];

/** The fusions the paper's Table 2 most likely compares (Sum, Concat, FiLM, Gated; see the protocol notes). */
const PAPER_FUSIONS: readonly FusionName[] = ["concat", "sum", "film", "gated"];

const ALL_LOCALIZERS: LocalizerName[] = [
  "attention",
  "similarity",
  "attentionSilent",
  "attentionShuffled",
  "centerPrior",
  "wholeFrame",
];

function modelsFor(fusions: readonly FusionName[]): ModelSpec[] {
  return ["audio", "visual", ...fusions.map((fusion) => `av-${fusion}`)].map(parseModelId);
}

/** The built-in supplement: both built-in datasets, the paper's likely fusions, FGSM/PGD/MIM and an ε grid. */
const DEFAULT_PROFILE: Omit<ReportConfig, "datasets" | "seed" | "backend"> = {
  profile: "default",
  models: modelsFor(PAPER_FUSIONS),
  model: { preset: "small" },
  train: { preset: "small" },
  attack: {
    attacks: [{ attack: "fgsm" }, { attack: "pgd" }, { attack: "mim" }],
    settings: PAPER_SETTINGS,
    grid: {
      attack: { attack: "pgd" },
      values: [0, 0.003, 0.006, 0.012],
      norm: "linf",
      visualUnits: "normalized",
      models: ["audio", "visual", "av-concat"],
      samples: 200,
    },
    samples: 500,
    batchSize: 100,
    examples: EXAMPLE_PLAN,
  },
  localize: {
    localizers: ALL_LOCALIZERS,
    attacks: [{ attack: "fgsm" }, { attack: "pgd" }],
    mapAttack: { steps: 10, directions: ["out", "in"], keepClass: [false, true] },
    overlays: { samples: 8, attack: "pgd" },
    datasets: ["av-instruments"],
    samples: 200,
    batchSize: 50,
    resamples: 1000,
    scene: "duet",
  },
  defense: DEFENSE_PLANS.default,
};

/** The profiles without datasets and seed. */
export const REPORT_PROFILES: Readonly<
  Record<ReportProfile, Omit<ReportConfig, "datasets" | "seed" | "backend">>
> = Object.freeze({
  smoke: {
    profile: "smoke",
    models: modelsFor(["concat", "sum"]),
    model: { preset: "small" },
    train: { preset: "small", epochs: 1 },
    attack: {
      attacks: [{ attack: "fgsm" }, { attack: "pgd", options: { steps: 3 } }],
      settings: PAPER_SETTINGS,
      grid: {
        attack: { attack: "pgd", options: { steps: 3 } },
        values: [0, 0.006, 0.012],
        norm: "linf",
        visualUnits: "normalized",
        models: null,
        samples: 32,
      },
      samples: 32,
      batchSize: 32,
      examples: { ...EXAMPLE_PLAN, attack: { attack: "pgd", options: { steps: 3 } } },
    },
    localize: {
      localizers: ALL_LOCALIZERS,
      attacks: [{ attack: "fgsm" }],
      mapAttack: { steps: 3, directions: ["out", "in"], keepClass: [false, true] },
      overlays: { samples: 8, attack: "fgsm" },
      datasets: null,
      samples: 16,
      batchSize: 16,
      resamples: 200,
      scene: "duet",
    },
    defense: DEFENSE_PLANS.smoke,
  },
  default: DEFAULT_PROFILE,
  full: {
    ...DEFAULT_PROFILE,
    profile: "full",
    models: modelsFor(Object.keys(FUSIONS).filter(isFusionName)),
    attack: { ...DEFAULT_PROFILE.attack, samples: 1000, batchSize: 32, seed: 0 },
    localize: {
      ...DEFAULT_PROFILE.localize as LocalizePlan,
      attacks: [{ attack: "fgsm" }, { attack: "pgd" }, { attack: "mim" }, { attack: "apgd" }],
      datasets: null,
    },
    defense: DEFENSE_PLANS.full,
  },
  paper: {
    profile: "paper",
    models: modelsFor(PAPER_FUSIONS),
    model: { preset: "paper" },
    // Micro-batches sized to the backend's memory: batch 48 of the paper's models does not fit wasm's heap.
    train: { preset: "paper", microBatchSize: "auto" },
    attack: {
      attacks: [{ attack: "fgsm" }, { attack: "pgd" }, {
        attack: "mim",
        options: { projection: "asReleased" },
      }],
      settings: PAPER_SETTINGS,
      grid: {
        attack: { attack: "pgd" },
        values: [0, 0.001, 0.002, 0.003, 0.004],
        norm: "linf",
        visualUnits: "normalized",
        models: null,
        samples: 10000,
      },
      samples: 10000,
      batchSize: 12,
      examples: EXAMPLE_PLAN,
    },
    localize: null,
    defense: DEFENSE_PLANS.paper,
  },
});

/** What the `paper` profile needs, for error messages and `--help`. */
export const PAPER_PROFILE_NEEDS =
  "The paper profile runs the paper's protocol (ResNet-18 + ANet on 65535-sample " +
  "waveforms at 11025 Hz and 224x224 frames, SGD for 30 epochs) on a dataset you supply: pass --data-root <folder> " +
  "--layout csv, where <folder> holds train.csv, val.csv and test.csv (rows '/<class>/<id>.wav,/<class>/<id>.mp4," +
  "<frames>'), audio/ and frames/ (8 fps JPEGs), as in YapengTian/AV-Robustness-CVPR21. It needs tens of GB of " +
  "memory and days on the wasm backend; use a GPU backend (--backend tensorflow-gpu or webgpu) where you have one";

/**
 * Resolves a request into the full config: the profile's settings plus datasets, seed and backend.
 *
 * - `smoke`: the `smoke` size of `av-digits` (or the named built-in datasets), 1 epoch, 32 attacked
 *   samples: for tests, under 2 minutes.
 * - `default`: the built-in supplement on both built-in datasets at their default size.
 * - `full`: the study behind the README's tables: both built-in datasets, all six fusions, FGSM, PGD and
 *   MIM on the 1000 test samples, attack seed 0 (`--attacks apgd` adds APGD-CE on the same samples).
 * - `paper`: the paper's protocol on a user dataset (`dataRoot` + `layout: "csv"`).
 *
 * @param request Profile, datasets, user data, backend, seed.
 * @returns A fresh config.
 * Overrides (`models`, `attacks`, `samples`, `epochs`, `batchSize`, `steps`, `epsilons`, `examples`,
 * `examplesAttack`) replace the profile's lists and counts; they are part of the resolved config, so they reach the cache keys and the
 * provenance.
 *
 * @throws {RangeError} If the profile, a dataset, model or attack name or the layout is unknown, an override
 *   is out of range, or `paper` lacks its data
 *   (the message says what the profile needs).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const config = resolveReportConfig({ profile: "smoke" });
 * assert.deepEqual(config.datasets.map((d) => d.name), ["av-digits"]);
 * assert.throws(() => resolveReportConfig({ profile: "paper" }), /--data-root/);
 * const late = resolveReportConfig({ profile: "smoke", models: ["av-late"], samples: 8 });
 * assert.deepEqual([late.models.map((m) => m.fusion), late.attack.samples], [["late"], 8]);
 * ```
 */
export function resolveReportConfig(request: ReportRequest = {}): ReportConfig {
  const { profile = "default", backend = "wasm", seed = 1234 } = request;
  const base = REPORT_PROFILES[profile];
  if (base === undefined || !Object.hasOwn(REPORT_PROFILES, profile)) {
    throw new RangeError(
      `Cannot build the report: profile must be one of ${
        REPORT_PROFILE_NAMES.join(", ")
      }, current value is '${profile}'`,
    );
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`Cannot build the report: seed must be an integer, current value is ${seed}`);
  }
  let datasets: DatasetSpec[];
  if (profile === "paper") {
    if (request.dataRoot === undefined || request.dataRoot === "") {
      throw new RangeError(`Cannot build the paper report: --data-root is missing. ${PAPER_PROFILE_NEEDS}`);
    }
    if (request.layout !== "csv") {
      throw new RangeError(
        `Cannot build the paper report: --layout must be 'csv', current value is '${
          request.layout ?? ""
        }'. ${PAPER_PROFILE_NEEDS}`,
      );
    }
    const root = request.dataRoot.replace(/\/+$/, "");
    const name = request.datasets?.[0] ?? root.split("/").pop() ?? "data";
    datasets = [{
      source: "csv",
      name,
      root,
      audioLength: 65535,
      imageSize: 224,
      skipBroken: false,
      ...(request.classes ? { classes: [...request.classes] } : {}),
      ...(request.rehash ? { rehash: true } : {}),
    }];
  } else {
    if (request.dataRoot !== undefined) {
      throw new RangeError(`Cannot build the ${profile} report: --data-root needs --profile paper`);
    }
    for (
      const [flag, given] of [["layout", request.layout], ["classes", request.classes], [
        "rehash",
        request.rehash,
      ]]
    ) {
      if (given !== undefined && given !== false) {
        throw new RangeError(`Cannot build the ${profile} report: --${flag} needs --profile paper`);
      }
    }
    const names = request.datasets ?? (profile === "smoke" ? ["av-digits"] : ["av-digits", "av-instruments"]);
    datasets = names.map((name) => {
      if (!Object.hasOwn(BUILTIN_DATASETS, name)) {
        throw new RangeError(
          `Cannot build the report: unknown built-in dataset '${name}', known: ${
            Object.keys(BUILTIN_DATASETS).join(", ")
          }`,
        );
      }
      const builtin = name === "av-digits" ? "av-digits" : "av-instruments";
      return { source: "builtin", name: builtin, size: profile === "smoke" ? "smoke" : "default", seed: 0 };
    });
  }
  for (const model of base.models) {
    if (model.kind === "av" && !isFusionName(model.fusion)) {
      throw new RangeError(`Cannot build the report: unknown fusion '${model.fusion}'`);
    }
  }
  const config: ReportConfig = structuredClone({ ...base, seed, backend, datasets });
  applyOverrides(config, request);
  return config;
}

function isAttackName(name: string): name is AttackName {
  return Object.hasOwn(ATTACKS, name);
}

function positive(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
    throw new RangeError(
      `Cannot build the report: ${name} must be a positive integer, current value is ${value}`,
    );
  }
}

/** The request's model, attack, sample and epoch overrides, applied in place. */
function applyOverrides(config: ReportConfig, request: ReportRequest): void {
  const { models, attacks, samples, epochs, batchSize, steps, epsilons } = request;
  if (models !== undefined) {
    if (models.length === 0) throw new RangeError("Cannot build the report: the model list is empty");
    const ids = models.includes("all") ? knownModelIds() : models;
    config.models = ids.map((id) => config.models.find((m) => m.id === id) ?? parseModelId(id));
  }
  if (attacks !== undefined) {
    if (attacks.length === 0) throw new RangeError("Cannot build the report: the attack list is empty");
    const singles = attacks.filter((name) => !ATTACKS[isAttackName(name) ? name : "fgsm"].composite);
    const members = singles.map((name): AttackSpec => {
      const own = config.attack.attacks.find((spec) => spec.attack === name);
      if (own !== undefined) return own;
      if (!isAttackName(name) || name === "worstCase") {
        throw new RangeError(
          `Cannot build the report: unknown attack '${name}', known: ${Object.keys(ATTACKS).join(", ")}`,
        );
      }
      return { attack: name };
    });
    // The worst case combines the other attacks of the list, per sample.
    if (attacks.includes("worstCase")) {
      if (members.length < 2) {
        throw new RangeError(
          "Cannot build the report: worstCase needs at least two other attacks to combine",
        );
      }
      members.push({ attack: "worstCase", options: { attacks: members.slice() } });
    }
    config.attack.attacks = members;
  }
  positive("samples", samples);
  positive("epochs", epochs);
  positive("batchSize", batchSize);
  positive("steps", steps);
  if (steps !== undefined) {
    config.attack.attacks = config.attack.attacks.map((spec) => withSteps(spec, steps));
    if (config.attack.grid) config.attack.grid.attack = withSteps(config.attack.grid.attack, steps);
  }
  if (epsilons !== undefined) {
    if (config.attack.grid === null) {
      throw new RangeError(`Cannot build the report: the ${config.profile} profile has no ε grid to set`);
    }
    config.attack.grid.values = epsilonValues(epsilons);
  }
  if (batchSize !== undefined) config.train = { ...config.train, batchSize };
  const micro = request.microBatchSize;
  if (micro !== undefined) {
    config.train = { ...config.train, microBatchSize: micro };
    // Checked now (at most the batch), not when training starts.
    if (micro !== "auto") resolveTrainConfig(config.train as TrainConfigInput & { microBatchSize: number });
  }
  if (request.visualWeights !== undefined) {
    if (config.model.preset !== "paper") {
      throw new RangeError(
        "Cannot build the report: visual weights are torchvision's ResNet-18, which only the paper profile's " +
          "models have",
      );
    }
    config.visualWeights = { ...request.visualWeights };
  }
  if (samples !== undefined) {
    config.attack.samples = samples;
    if (config.attack.grid) config.attack.grid.samples = Math.min(config.attack.grid.samples, samples);
  }
  if (epochs !== undefined) config.train = { ...config.train, epochs };
  config.attack.examples = withExampleOverrides(config.attack.examples, config.attack.attacks, {
    ...(request.examples !== undefined ? { samples: request.examples } : {}),
    ...(request.examplesAttack !== undefined ? { attack: request.examplesAttack } : {}),
  });
}
