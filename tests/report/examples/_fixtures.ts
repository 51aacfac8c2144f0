/**
 * A small example set for the rendering tests: two samples of a 0.25 s tone and a grey frame, attacked
 * on the audio, the frame and both with known perturbations.
 */
import { packFloats } from "../../../lib/report/examples/packed_floats.ts";
import type { ExampleAttack, ExampleSet } from "../../../lib/report/examples/types.ts";

/** Audio rate and length of the fixture. */
export const RATE = 8000, LENGTH = 2000;
/** Frame shape of the fixture. */
export const FRAME: [number, number, number] = [4, 6, 1];

/** The clean waveform of sample `k`: a 500 Hz tone at amplitude 0.5. */
export function cleanAudio(k: number): Float32Array {
  return Float32Array.from({ length: LENGTH }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 500 * i) / RATE + k));
}

/** The clean frame of sample `k`. */
export function cleanFrame(k: number): Float32Array {
  return Float32Array.from({ length: FRAME[0] * FRAME[1] }, (_, i) => ((i + k) % 5) / 5);
}

/** ±step, alternating: what a sign-gradient attack adds. */
function signs(length: number, step: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => (i % 3 === 0 ? step : -step));
}

/** The fixture; `classes` lets a test pass hostile names. */
export function exampleSet(classes: string[] = ["zero", "one", "two"], dataset = "toy"): ExampleSet {
  const budgets = {
    audio: { norm: "linf", audio: 0.012, visual: 0, visualUnits: "normalized" },
    visual: { norm: "linf", audio: 0, visual: 0.012, visualUnits: "normalized" },
    joint: { norm: "linf", audio: 0.006, visual: 0.006, visualUnits: "normalized" },
  } as const;
  return {
    dataset,
    model: "av-concat",
    attack: "pgd(steps=3)",
    classes,
    sampleRate: RATE,
    frameShape: FRAME,
    selection: "The first 2 test samples the model classifies correctly",
    samples: [0, 1].map((k) => {
      const audio = cleanAudio(k), frame = cleanFrame(k);
      const attacks: ExampleAttack[] = (["audio", "visual", "joint"] as const).map((setting) => {
        const budget = { ...budgets[setting] };
        const da = signs(LENGTH, budget.audio), dv = signs(frame.length, budget.visual);
        return {
          setting,
          budget,
          predicted: setting === "joint" ? 2 : k,
          confidence: 0.7,
          trueConfidence: setting === "joint" ? 0.2 : 0.7,
          audio: budget.audio > 0 ? packFloats(audio.map((v, i) => v + (da[i] as number))) : null,
          frame: budget.visual > 0 ? packFloats(frame.map((v, i) => v + (dv[i] as number))) : null,
        };
      });
      return {
        id: `test/${k}`,
        index: k,
        label: k,
        audio: packFloats(audio),
        frame: packFloats(frame),
        clean: { predicted: k, confidence: 0.8, trueConfidence: 0.8 },
        attacks,
      };
    }),
  };
}
