/**
 * The data of the adversarial examples (what the `attack` stage's `examples` cell stores): per dataset,
 * a few test samples, clean and attacked per modality, with the model's predictions.
 *
 * @module
 */
import type { Budget } from "../../attacks/mod.ts";
import type { PackedFloats } from "./packed_floats.ts";

/** An attacked modality setting of the examples (the paper's A-, V- and AV-attacks). */
export type ExampleSetting = "audio" | "visual" | "joint";

/** What the model said about one input. */
export interface ExamplePrediction {
  /** Predicted class index. */
  predicted: number;
  /** Softmax probability of the predicted class, in [0, 1]. */
  confidence: number;
  /** Softmax probability of the true class, in [0, 1]. */
  trueConfidence: number;
}

/** One sample under one attack setting. */
export interface ExampleAttack extends ExamplePrediction {
  /** Which modalities the budget attacks. */
  setting: ExampleSetting;
  /** The threat model. */
  budget: Budget;
  /** The adversarial waveform, or null where the audio was not attacked (it equals the clean one). */
  audio: PackedFloats | null;
  /** The adversarial frame, or null where the frame was not attacked. */
  frame: PackedFloats | null;
}

/** One test sample, clean and attacked. */
export interface ExampleSample {
  /** The sample's id in its dataset. */
  id: string;
  /** Its position in the test split. */
  index: number;
  /** True class index. */
  label: number;
  /** The clean waveform, `audioLength` samples in [-1, 1]. */
  audio: PackedFloats;
  /** The clean frame, row-major `[height, width, channels]` in [0, 1]. */
  frame: PackedFloats;
  /** The prediction on the clean inputs. */
  clean: ExamplePrediction;
  /** Per setting, in the order audio, visual, joint. */
  attacks: ExampleAttack[];
}

/** The examples of one dataset. */
export interface ExampleSet {
  /** Dataset name. */
  dataset: string;
  /** Model id attacked, e.g. `av-concat`. */
  model: string;
  /** Label of the attack, e.g. `pgd(steps=3)`. */
  attack: string;
  /** Class names, index = label. */
  classes: string[];
  /** Audio sample rate in Hz. */
  sampleRate: number;
  /** Frame shape `[height, width, channels]`. */
  frameShape: [number, number, number];
  /** The model's per-channel visual std: a normalised ε_v is ε_v · std in [0, 1] pixels. @default none */
  visualStd?: number[];
  /** How the samples were picked, for the caption (e.g. `the first 3 test samples classified correctly`). */
  selection: string;
  /** The samples. */
  samples: ExampleSample[];
}
