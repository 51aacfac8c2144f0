/**
 * Named threat models of the paper, ε grids, and budget helpers.
 *
 * @module
 */
import type { Budget, Norm, VisualUnits } from "./types.ts";

/** Names of the paper's four settings. */
export type PaperSetting = "clean" | "audioOnly" | "visualOnly" | "joint";

/**
 * The paper's attack-study settings (Tian & Xu, CVPR 2021, main_attack.py): L∞, (ε_v, ε_a) =
 * (0, 0), (0, .012), (.012, 0), (.006, .006). The joint attack gets half the per-modality budget.
 *
 * The visual ε is in the model's **normalised** units, as the paper attacked the ImageNet-normalised
 * tensor. In [0, 1] pixels that is ε·std per channel, so its pixel size depends on the model's std
 * ({@linkcode visualPixelLabel}, checked below for ImageNet's std and for a std of 0.5). Audio ε is raw
 * waveform amplitude in [-1, 1].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(PAPER_BUDGETS.joint.audio, 0.006);
 * assert.equal(PAPER_BUDGETS.visualOnly.visualUnits, "normalized");
 * assert.equal(visualPixelLabel(PAPER_BUDGETS.visualOnly, { std: [0.229, 0.224, 0.225] }, 3), "0.69–0.70/255");
 * assert.equal(visualPixelLabel(PAPER_BUDGETS.joint, { std: [0.5] }, 1), "0.77/255");
 * ```
 */
export const PAPER_BUDGETS: Readonly<Record<PaperSetting, Readonly<Budget>>> = Object.freeze({
  clean: { norm: "linf", audio: 0, visual: 0, visualUnits: "normalized" },
  audioOnly: { norm: "linf", audio: 0.012, visual: 0, visualUnits: "normalized" },
  visualOnly: { norm: "linf", audio: 0, visual: 0.012, visualUnits: "normalized" },
  joint: { norm: "linf", audio: 0.006, visual: 0.006, visualUnits: "normalized" },
});

/**
 * The paper's defense-evaluation settings (main_defense.py): every attacked modality at ε = .006
 * (visual in normalised units).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(DEFENSE_BUDGETS.audioOnly.audio, 0.006);
 * ```
 */
export const DEFENSE_BUDGETS: Readonly<Record<PaperSetting, Readonly<Budget>>> = Object.freeze({
  clean: { norm: "linf", audio: 0, visual: 0, visualUnits: "normalized" },
  audioOnly: { norm: "linf", audio: 0.006, visual: 0, visualUnits: "normalized" },
  visualOnly: { norm: "linf", audio: 0, visual: 0.006, visualUnits: "normalized" },
  joint: { norm: "linf", audio: 0.006, visual: 0.006, visualUnits: "normalized" },
});

/** Options of {@linkcode budgetGrid}. */
export interface BudgetGridOptions {
  /** ε values per modality. @default [0, 0.001, 0.002, 0.003, 0.004] (the paper's Fig. 3 grid) */
  values?: readonly number[];
  /** Norm. @default "linf" */
  norm?: Norm;
  /** Units of the visual ε. @default "normalized" */
  visualUnits?: VisualUnits;
  /**
   * `"full"`: every (ε_v, ε_a) pair (5 × 5 = 25 for the default values). `"lines"`: the three curves
   * audio-only (0, e), visual-only (e, 0) and joint (e, e) for each value, zero once.
   * @default "full"
   */
  layout?: "full" | "lines";
}

/**
 * A grid of budgets, ε_v-major.
 *
 * @param options Values, norm, units and layout.
 * @returns Fresh budget objects.
 * @throws {RangeError} If a value is negative or not finite.
 *
 * @example The paper's 5 × 5 grid and its curves
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(budgetGrid().length, 25);
 * assert.equal(budgetGrid({ layout: "lines" }).length, 13);
 * ```
 */
export function budgetGrid(options: BudgetGridOptions = {}): Budget[] {
  const {
    values = [0, 0.001, 0.002, 0.003, 0.004],
    norm = "linf",
    visualUnits = "normalized",
    layout = "full",
  } = options;
  for (const value of values) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(
        `Cannot build a budget grid: every value must be a finite number >= 0, current value is ${value}`,
      );
    }
  }
  const make = (visual: number, audio: number): Budget => ({ norm, audio, visual, visualUnits });
  if (layout === "full") return values.flatMap((visual) => values.map((audio) => make(visual, audio)));
  const budgets: Budget[] = [];
  if (values.includes(0)) budgets.push(make(0, 0));
  for (const value of values.filter((v) => v > 0)) {
    budgets.push(make(0, value), make(value, 0), make(value, value));
  }
  return budgets;
}

/**
 * Which modalities a budget attacks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(budgetKind({ norm: "linf", audio: 0.01, visual: 0 }), "audio");
 * ```
 */
export function budgetKind(budget: Budget): "clean" | "audio" | "visual" | "joint" {
  if (budget.audio > 0 && budget.visual > 0) return "joint";
  if (budget.audio > 0) return "audio";
  if (budget.visual > 0) return "visual";
  return "clean";
}

/**
 * A short human-readable label, e.g. `linf a=0.006 v=0.006 (normalized)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(budgetLabel(PAPER_BUDGETS.joint), "linf a=0.006 v=0.006 (normalized)");
 * ```
 */
export function budgetLabel(budget: Budget): string {
  return `${budget.norm} a=${budget.audio} v=${budget.visual} (${budget.visualUnits ?? "pixel"})`;
}

/**
 * The visual ε in pixel units per channel: ε·std for normalised budgets, ε for pixel budgets.
 *
 * @param budget The budget.
 * @param normalization The model's `visualNormalization`.
 * @param channels Number of channels (length of the result).
 * @returns Per-channel ε in pixel units.
 * @throws {TypeError} If a normalised budget meets a normalisation whose `std` has the wrong length.
 *
 * @example The paper's visual ε in [0, 1] pixels
 * ```ts
 * import assert from "node:assert/strict";
 * const pixel = visualPixelEpsilon(PAPER_BUDGETS.visualOnly, { std: [0.229, 0.224, 0.225] }, 3);
 * assert.ok(Math.abs((pixel[0] ?? 0) - 0.002748) < 1e-6);
 * ```
 */
export function visualPixelEpsilon(
  budget: Budget,
  normalization: { readonly std: readonly number[] },
  channels: number,
): number[] {
  if ((budget.visualUnits ?? "pixel") === "pixel") {
    return Array.from({ length: channels }, () => budget.visual);
  }
  const { std } = normalization;
  if (std.length !== channels && std.length !== 1) {
    throw new TypeError(
      `Cannot convert a normalised visual budget: visualNormalization.std must have ${channels} values, current length is ${std.length}`,
    );
  }
  return Array.from({ length: channels }, (_, c) => budget.visual * (std[std.length === 1 ? 0 : c] ?? 1));
}

/**
 * A visual budget's size in [0, 255] pixel units, e.g. `1.53/255` or, when channels differ,
 * `0.69–0.70/255` (smallest–largest, two decimals), from {@linkcode visualPixelEpsilon}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(visualPixelLabel(PAPER_BUDGETS.visualOnly, { std: [0.229, 0.224, 0.225] }, 3), "0.69–0.70/255");
 * ```
 */
export function visualPixelLabel(
  budget: Budget,
  normalization: { readonly std: readonly number[] },
  channels: number,
): string {
  const sizes = visualPixelEpsilon(budget, normalization, channels).sort((a, b) => a - b);
  return `${[...new Set(sizes.map((e) => (e * 255).toFixed(2)))].join("–")}/255`;
}
