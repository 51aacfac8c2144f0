/**
 * The paper's headline findings, checked against the measured records (never hard-coded).
 *
 * @module
 */
import { attackKey, attackLabel, distinctAttacks } from "../attack_identity.ts";
import { SETTING_LABELS } from "../labels.ts";
import type { AttackSetting, ReportRecord } from "../types.ts";
import { wilsonInterval } from "../../eval/wilson_interval.ts";
import { intervalText } from "./_accuracy_cell.ts";

/** Outcome of one comparison. */
export type ComparisonOutcome = "holds" | "within noise" | "does not hold";

/** Overall verdict of a claim on this run's records. */
export type ClaimVerdict =
  | "holds"
  | "holds in part"
  | "not distinguishable from noise"
  | "does not hold"
  | "not measured";

/** One comparison behind a verdict. */
export interface ClaimEvidence {
  /** Dataset of the comparison. */
  dataset: string;
  /** Attack of the comparison. */
  attack: string;
  /** What was compared, as plain text (labels unescaped; escape before putting it in Markdown). */
  text: string;
  /** Outcome. */
  outcome: ComparisonOutcome;
}

/** A headline finding of the paper beside what was measured here. */
export interface ClaimCheck {
  /** Stable id: `susceptible`, `integration` or `fusion` (findings 1–3 of the paper's abstract). */
  id: "susceptible" | "integration" | "fusion";
  /** The paper's claim. */
  claim: string;
  /** How the verdict is computed from the records. */
  rule: string;
  /** Verdict. */
  verdict: ClaimVerdict;
  /** One-line summary of the measurements. */
  summary: string;
  /** Every comparison. */
  evidence: ClaimEvidence[];
}

/** A record's accuracy in percent with its 95% Wilson interval, e.g. `12.5 % [5.0, 28.1]`. */
const percent = (r: ReportRecord) =>
  r.total > 0 ? intervalText(wilsonInterval(r.correct, r.total), " %") : `${(100 * r.accuracy).toFixed(1)} %`;

/** Standard error of p1 - p2, with add-one smoothing so that 0 % and 100 % still carry uncertainty. */
function standardError(a: ReportRecord, b: ReportRecord): number {
  const smooth = (r: ReportRecord) => (r.correct + 1) / (r.total + 2);
  const pa = smooth(a);
  const pb = smooth(b);
  return Math.sqrt((pa * (1 - pa)) / (a.total + 2) + (pb * (1 - pb)) / (b.total + 2));
}

/** "lower" holds when `low` is below `high` by more than two standard errors. */
function compare(low: ReportRecord, high: ReportRecord): ComparisonOutcome {
  const margin = 2 * standardError(low, high);
  if (high.accuracy - low.accuracy > margin) return "holds";
  if (Math.abs(high.accuracy - low.accuracy) <= margin) return "within noise";
  return "does not hold";
}

function verdictOf(evidence: readonly ClaimEvidence[]): ClaimVerdict {
  if (evidence.length === 0) return "not measured";
  const holding = evidence.filter((e) => e.outcome === "holds").length;
  if (holding === evidence.length) return "holds";
  if (holding > 0) return "holds in part";
  return evidence.some((e) => e.outcome === "within noise")
    ? "not distinguishable from noise"
    : "does not hold";
}

function summaryOf(evidence: readonly ClaimEvidence[]): string {
  const holding = evidence.filter((e) => e.outcome === "holds").length;
  const noise = evidence.filter((e) => e.outcome === "within noise").length;
  if (evidence.length === 0) return "No records to compare.";
  return `Holds in ${holding} of ${evidence.length} comparisons` +
    (noise > 0 ? ` (${noise} within noise).` : ".");
}

function find(
  records: readonly ReportRecord[],
  where: {
    dataset: string;
    model?: string;
    kind?: ReportRecord["kind"];
    attack?: string;
    setting: AttackSetting;
  },
): ReportRecord[] {
  return records.filter((r) =>
    r.study === "table" && r.dataset === where.dataset && r.setting === where.setting &&
    (where.model === undefined || r.model === where.model) &&
    (where.kind === undefined || r.kind === where.kind) &&
    (where.setting === "clean" || attackKey(r) === where.attack)
  );
}

/** The table study's attacks, by grouping key, with their labels. */
function attacksOf(records: readonly ReportRecord[]): { key: string; label: string }[] {
  return distinctAttacks(records.filter((r) => r.study === "table")).map((r) => ({
    key: attackKey(r),
    label: attackLabel(r),
  }));
}

function checkSusceptible(records: readonly ReportRecord[]): ClaimEvidence[] {
  const evidence: ClaimEvidence[] = [];
  const avModels = [
    ...new Set(records.filter((r) => r.kind === "av").map((r) => `${r.dataset}\u0000${r.model}`)),
  ];
  for (const pair of avModels) {
    const [dataset = "", model = ""] = pair.split("\u0000");
    const clean = find(records, { dataset, model, setting: "clean" })[0];
    if (!clean) continue;
    for (const { key: attack, label } of attacksOf(records)) {
      const attacked = (["audio", "visual", "joint"] as const)
        .flatMap((setting) => find(records, { dataset, model, attack, setting }));
      if (attacked.length === 0) continue;
      const worst = attacked.reduce((a, b) => (b.accuracy < a.accuracy ? b : a));
      const halved = worst.accuracy <= clean.accuracy / 2;
      evidence.push({
        dataset,
        attack: label,
        text: `${model}: clean ${percent(clean)}, worst ${percent(worst)} ` +
          `(${SETTING_LABELS[worst.setting]})`,
        outcome: halved ? "holds" : "does not hold",
      });
    }
  }
  return evidence;
}

function checkIntegration(records: readonly ReportRecord[]): ClaimEvidence[] {
  const evidence: ClaimEvidence[] = [];
  for (const dataset of new Set(records.map((r) => r.dataset))) {
    for (const { key: attack, label } of attacksOf(records)) {
      const unimodal = [
        ...find(records, { dataset, kind: "audio", attack, setting: "audio" }),
        ...find(records, { dataset, kind: "visual", attack, setting: "visual" }),
      ];
      if (unimodal.length === 0) continue;
      const best = unimodal.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
      for (const av of find(records, { dataset, kind: "av", attack, setting: "joint" })) {
        evidence.push({
          dataset,
          attack: label,
          text: `${av.model} under AV-attack ${percent(av)} vs best unimodal ${best.model} under ` +
            `${SETTING_LABELS[best.setting]} ${percent(best)}`,
          outcome: compare(av, best),
        });
      }
    }
  }
  return evidence;
}

function checkFusion(records: readonly ReportRecord[]): ClaimEvidence[] {
  const evidence: ClaimEvidence[] = [];
  for (const dataset of new Set(records.map((r) => r.dataset))) {
    for (const { key: attack, label } of attacksOf(records)) {
      for (const setting of ["audio", "visual", "joint"] as const) {
        const rows = find(records, { dataset, kind: "av", attack, setting });
        if (new Set(rows.map((r) => r.fusion)).size < 2) continue;
        const low = rows.reduce((a, b) => (b.accuracy < a.accuracy ? b : a));
        const high = rows.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
        evidence.push({
          dataset,
          attack: label,
          text: `${SETTING_LABELS[setting]}: ${low.fusion} ${percent(low)} to ${high.fusion} ` +
            `${percent(high)}`,
          outcome: compare(low, high),
        });
      }
    }
  }
  return evidence;
}

/**
 * Checks the paper's headline findings 1–3 (Tian & Xu, CVPR 2021, abstract) on the `table` records:
 *
 * 1. `susceptible`: per av model and attack, the worst of the A, V and AV attacks at least halves clean
 *    accuracy.
 * 2. `integration`: per av model and attack, accuracy under the joint attack (half budget per modality)
 *    is below the best unimodal model under its own unimodal attack by more than two standard errors.
 * 3. `fusion`: per attack and setting, the most and least robust fusions differ by more than two
 *    standard errors.
 *
 * A claim "holds" when every comparison holds, "holds in part" when some do.
 *
 * @param records The report's records.
 * @returns One check per claim, in the paper's order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const checks = checkClaims([]);
 * assert.deepEqual(checks.map((c) => c.verdict), ["not measured", "not measured", "not measured"]);
 * ```
 */
export function checkClaims(records: readonly ReportRecord[]): ClaimCheck[] {
  const make = (
    id: ClaimCheck["id"],
    claim: string,
    rule: string,
    evidence: ClaimEvidence[],
  ): ClaimCheck => ({
    id,
    claim,
    rule,
    verdict: verdictOf(evidence),
    summary: summaryOf(evidence),
    evidence,
  });
  return [
    make(
      "susceptible",
      "Audio-visual event recognition models are highly susceptible to audio, visual and joint adversarial attacks.",
      "For each audio-visual model and attack: the worst of the A, V and AV attacks leaves at most half the clean accuracy.",
      checkSusceptible(records),
    ),
    make(
      "integration",
      "Audio-visual integration can decrease robustness instead of strengthening it: a joint attack with half the " +
        "budget per modality hurts the audio-visual model more than unimodal attacks hurt unimodal models.",
      "For each audio-visual model and attack: accuracy under the AV-attack is below the best unimodal model under " +
        "its own attack by more than two standard errors.",
      checkIntegration(records),
    ),
    make(
      "fusion",
      "The fusion mechanism changes how robust the audio-visual model is.",
      "For each attack and setting: the most and the least robust fusion differ by more than two standard errors.",
      checkFusion(records),
    ),
  ];
}
