/**
 * What a profile measures, in words, for the top of the report page.
 *
 * @module
 */
import { DEFENSE_BUDGETS, visualPixelLabel } from "../../attacks/budgets.ts";
import type { VisualUnits } from "../../attacks/types.ts";
import { visualBudgetList, type VisualBudgetOf } from "../labels.ts";
import { REPORT_PROFILE_NAMES, REPORT_PROFILES, type ReportConfig } from "../study/report_config.ts";
import { visualStdOf } from "../study/visual_std.ts";

/**
 * Paragraphs for the top of the report page that say what a profile measures and how it departs from
 * the paper (project text; dataset names are escaped).
 *
 * @param config The resolved config.
 * @returns Markdown paragraphs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveReportConfig } from "../study/report_config.ts";
 * assert.match(profileNotes(resolveReportConfig({ profile: "smoke" }))[0] ?? "", /smoke/);
 * ```
 */
export function profileNotes(config: ReportConfig): string[] {
  const { attack } = config;
  const names = config.datasets.map((d) => `\`${d.name.replaceAll("`", "'")}\``).join(", ");
  const s = attack.settings;
  const normalized = s.visual.visualUnits === "normalized";
  const units = normalized
    ? ` in the model's normalised units (${pixelSize(config, s.visual.visual)})`
    : " in pixels";
  const joint = normalized ? ` (${pixelSize(config, s.joint.visual)})` : "";
  const budgets = `A-attack ε_a = ${s.audio.audio}, V-attack ε_v = ${s.visual.visual}${units}, AV-attack ` +
    `ε_a = ${s.joint.audio} + ε_v = ${s.joint.visual}${joint} (${s.joint.norm})`;
  const common = `Datasets: ${names}. Models: ${config.models.map((m) => `\`${m.id}\``).join(", ")}. ` +
    `Attacks: ${
      attack.attacks.map((a) => `\`${a.attack}\``).join(", ")
    } on ${attack.samples} test samples per ` +
    `cell, seed ${config.seed}. Budgets as in the paper's Table 1: ${budgets}.`;
  if (config.profile === "smoke") {
    return [
      `**Profile \`smoke\`**: tiny data, one epoch of training, few attacked samples. It exists to test the ` +
      `pipeline end to end; its numbers say nothing about the paper's claims.`,
      common,
    ];
  }
  if (config.profile === "paper") {
    const reduced = paperReductions(config);
    return [
      `**Profile \`paper\`**: the paper's protocol (ResNet-18 and ANet, 65535-sample waveforms, SGD) on a dataset you supplied.`,
      ...(reduced.length > 0
        ? [
          `**Reduced protocol**: ${
            reduced.join("; ")
          }. Its numbers are not the paper's protocol and must not be ` +
          `compared with the paper's tables as if they were.`,
        ]
        : []),
      common,
    ];
  }
  return [
    `**Profile \`default\`**: the built-in supplement. The built-in datasets stand in for MUSIC, AVE and ` +
    `Kinetics-Sounds (which are not redistributable); the models are small (preset \`small\`) so the whole ` +
    `supplement runs on a laptop CPU. The models' visual normalisation is mean 0.5, std 0.5, so a normalised ` +
    `ε_v is half as large in pixels (with ImageNet's std it is about a quarter).`,
    common,
  ];
}

/**
 * How a `paper` config departs from the paper's protocol (epochs, batch, micro-batches, attacked samples,
 * models), in words; empty when it does not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveReportConfig } from "../study/report_config.ts";
 * const config = resolveReportConfig({ profile: "paper", dataRoot: "/data", layout: "csv", epochs: 2 });
 * assert.match(paperReductions(config)[0] ?? "", /2 training epochs \(the paper: 30\)/);
 * ```
 */
export function paperReductions(config: ReportConfig): string[] {
  const paper = REPORT_PROFILES.paper;
  const out: string[] = [];
  const epochs = config.train.epochs ?? 30, batch = config.train.batchSize ?? 48;
  if (epochs !== 30) out.push(`${epochs} training epochs (the paper: 30)`);
  if (batch !== 48) out.push(`batch ${batch} (the paper: 48)`);
  const micro = config.train.microBatchSize;
  // "auto" splits the batch only where it does not fit: on wasm (4 GiB heap) the paper's models always.
  if (micro !== undefined && micro !== null && (micro !== "auto" || config.backend === "wasm")) {
    out.push(
      `micro-batches (${
        micro === "auto" ? "sized to the backend's memory" : `of ${micro}`
      }) with gradients ` +
        `accumulated over the batch: batch norm sees each micro-batch's statistics`,
    );
  }
  if (config.attack.samples < paper.attack.samples) {
    out.push(
      `${config.attack.samples} attacked test samples per cell (the paper: all, up to ${paper.attack.samples})`,
    );
  }
  const ids = (models: readonly { id: string }[]) => models.map((m) => m.id).join(",");
  if (ids(config.models) !== ids(paper.models)) {
    out.push(
      `models ${config.models.map((m) => m.id).join(", ")} (the paper: ${
        paper.models.map((m) => m.id).join(", ")
      })`,
    );
  }
  return out;
}

/**
 * A normalised ε_v in pixel units for the config's models (ε · std per channel, as a fraction of 255),
 * computed from the preset's normalisation: `small` std 0.5; `paper` ImageNet's on 3-channel frames.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveReportConfig } from "../study/report_config.ts";
 * assert.equal(pixelSize(resolveReportConfig({ profile: "smoke" }), 0.012), "= 1.53/255 per pixel with std 0.5");
 * ```
 */
export function pixelSize(config: ReportConfig, epsilon: number): string {
  const std = visualStdOf(config.model, 3);
  const budget = { norm: "linf", audio: 0, visual: epsilon, visualUnits: "normalized" } as const;
  const stds = [...new Set(std.map((d) => String(d)))];
  return `= ${visualPixelLabel(budget, { std }, std.length)} per pixel with std ${stds.join(", ")}`;
}

/**
 * Each profile's visual budgets (the attack settings, the ε grid, the defense's budgets and its large-ε
 * sanity point) with their pixel sizes for the profile's models on 3-channel frames (ε_v · std, from
 * {@linkcode visualStdOf}), one line per profile, for `deno task report --help`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(profileVisualBudgets()[0] ?? "", /^smoke \(std 0\.5\): ε_v normalised: 0\.006 = 0\.77\/255, /);
 * ```
 */
export function profileVisualBudgets(): string[] {
  return REPORT_PROFILE_NAMES.map((name) => {
    const { model, attack, defense } = REPORT_PROFILES[name];
    const visualStd = visualStdOf(model, 3);
    const of = (epsVisual: number, units: VisualUnits | undefined): VisualBudgetOf => ({
      epsVisual,
      visualUnits: units ?? "pixel",
      visualStd,
    });
    const { visual, joint } = attack.settings;
    const budgets = [
      of(visual.visual, visual.visualUnits),
      of(joint.visual, joint.visualUnits),
      ...(attack.grid?.values ?? []).map((v) => of(v, attack.grid?.visualUnits)),
      ...(defense
        ? [of(DEFENSE_BUDGETS.visualOnly.visual, "normalized"), of(defense.largeEpsilon, "normalized")]
        : []),
    ];
    return `${name} (std ${[...new Set(visualStd)].join(", ")}): ${visualBudgetList(budgets)}`;
  });
}
