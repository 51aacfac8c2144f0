/**
 * The training table (best validation and test accuracy per model) and the acceptance bar of a built-in
 * dataset: it serves its purpose when neither modality alone is enough and fusing them clearly helps.
 *
 * @module
 */
import { escapeMarkdown } from "../../text/escape.ts";
import { publishedFootnote, type PublishedResult, publishedResult } from "../published_results.ts";
import { accuracyCell } from "./_accuracy_cell.ts";
import type { TrainedModel } from "../types.ts";

/** The acceptance bar: each unimodal model's test accuracy in [0.55, 0.85], fusion ≥ 8 points above. */
export const ACCEPTANCE_BAR = Object.freeze({ unimodalMin: 0.55, unimodalMax: 0.85, fusionGain: 0.08 });

/** Whether a dataset's trained models meet {@linkcode ACCEPTANCE_BAR}. */
export interface Acceptance {
  /** Both unimodal models within the bar's range. */
  unimodalOk: boolean;
  /** The best audio-visual model, and its test accuracy minus the better unimodal model's. */
  bestModel: string;
  gain: number;
  /** Both parts of the bar met. */
  meets: boolean;
}

/**
 * The acceptance bar of one dataset, or null when its audio, visual or audio-visual models are missing.
 *
 * @param models Trained models (any datasets).
 * @param dataset The dataset to judge.
 * @returns The verdict, or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const m = (model: string, kind: "audio" | "visual" | "av", testAccuracy: number) => ({ dataset: "d",
 *   datasetHash: "h", model, kind, fusion: "none", key: "k", checkpoint: "c", checkpointHash: "c",
 *   bestEpoch: 0, valAccuracy: testAccuracy, testAccuracy, history: [], seconds: 1 });
 * const verdict = acceptance([m("audio", "audio", 0.6), m("visual", "visual", 0.7), m("av-sum", "av", 0.8)], "d");
 * assert.equal(verdict?.meets, true);
 * ```
 */
export function acceptance(models: readonly TrainedModel[], dataset: string): Acceptance | null {
  const own = models.filter((m) => m.dataset === dataset);
  const audio = own.find((m) => m.kind === "audio");
  const visual = own.find((m) => m.kind === "visual");
  const av = own.filter((m) => m.kind === "av");
  if (!audio || !visual || av.length === 0) return null;
  const best = av.reduce((a, b) => (b.testAccuracy > a.testAccuracy ? b : a));
  const { unimodalMin, unimodalMax, fusionGain } = ACCEPTANCE_BAR;
  const unimodalOk = [audio, visual].every((m) =>
    m.testAccuracy >= unimodalMin && m.testAccuracy <= unimodalMax
  );
  const gain = best.testAccuracy - Math.max(audio.testAccuracy, visual.testAccuracy);
  return { unimodalOk, bestModel: best.model, gain, meets: unimodalOk && gain >= fusionGain };
}

const percent = (value: number) => `${(100 * value).toFixed(1)}%`;

/**
 * Per dataset: a Markdown table of every model's epochs, best epoch, best validation and test accuracy (in
 * percent with 95% Wilson intervals where the split sizes are known, `84.4 [68.2, 93.1]`; the paper's
 * number after it where one was published for the dataset) and training time, then the acceptance bar's
 * verdict where it applies. Labels are escaped.
 *
 * @param models Trained models, in study order.
 * @returns Markdown ("" for no models).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(trainingTableMarkdown([]), "");
 * ```
 */
export function trainingTableMarkdown(models: readonly TrainedModel[]): string {
  const blocks: string[] = [];
  for (const dataset of [...new Set(models.map((m) => m.dataset))]) {
    const lines = [
      `### ${escapeMarkdown(dataset)}`,
      "",
      "| model | epochs | best epoch | best val % | test % | train time (s) |",
      "|---|---:|---:|---:|---:|---:|",
    ];
    const published: PublishedResult[] = [];
    for (const m of models.filter((m) => m.dataset === dataset)) {
      const paper = publishedResult(dataset, { model: m.model, setting: "clean", attack: "none" });
      if (paper) published.push(paper);
      const cells = [
        escapeMarkdown(m.model),
        m.history.length,
        m.bestEpoch + 1,
        accuracyCell(m.valAccuracy, m.samples?.val),
        accuracyCell(m.testAccuracy, m.samples?.test, paper),
        m.seconds.toFixed(1),
      ];
      lines.push(`| ${cells.join(" | ")} |`);
    }
    const footnote = publishedFootnote(published);
    if (footnote) lines.push("", footnote);
    const verdict = acceptance(models, dataset);
    if (verdict) {
      const own = models.filter((m) => m.dataset === dataset);
      const test = (kind: string) => percent(own.find((m) => m.kind === kind)?.testAccuracy ?? 0);
      const { unimodalMin, unimodalMax, fusionGain } = ACCEPTANCE_BAR;
      lines.push(
        "",
        `Unimodal models within ${Math.round(100 * unimodalMin)}–${Math.round(100 * unimodalMax)}%: ${
          verdict.unimodalOk ? "yes" : "no"
        } ` +
          `(audio ${test("audio")}, visual ${test("visual")}). The best audio-visual model, ` +
          `${escapeMarkdown(verdict.bestModel)}, is ${
            (100 * verdict.gain).toFixed(1)
          } points above the better ` +
          `unimodal one: ${verdict.gain >= fusionGain ? "meets" : "misses"} the ${
            Math.round(100 * fusionGain)
          }-point bar.`,
      );
    }
    blocks.push(lines.join("\n"));
  }
  return blocks.join("\n\n");
}
