/**
 * What a profile measures, in words, for the top of the report page.
 *
 * @module
 */
import type { ReportConfig } from "../study/report_config.ts";

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
  const units = s.visual.visualUnits === "normalized" ? " in the model's normalised units" : " in pixels";
  const budgets = `A-attack ε_a = ${s.audio.audio}, V-attack ε_v = ${s.visual.visual}${units}, AV-attack ` +
    `ε_a = ${s.joint.audio} + ε_v = ${s.joint.visual} (${s.joint.norm})`;
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
    return [
      `**Profile \`paper\`**: the paper's protocol (ResNet-18 and ANet, 65535-sample waveforms, SGD) on a dataset you supplied.`,
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
