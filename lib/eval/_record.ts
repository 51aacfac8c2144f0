/**
 * Turns a cell's outcome into a flat {@linkcode EvalRecord} with its per-cell checks.
 *
 * @module
 */
import type { AvModel } from "../models/types.ts";
import { budgetKind, visualPixelEpsilon } from "../attacks/budgets.ts";
import { attackInfo, type AttackSpec } from "../attacks/registry.ts";
import { type ResolvedSpec, resolveSpec, specLabel } from "../attacks/spec_label.ts";
import { stableStringify } from "../cache/hash.ts";
import type { Budget, TargetMode } from "../attacks/types.ts";
import type { CellOutcome } from "./_cell.ts";
import { checkBudget, checkFinite, checkLossIncrease, checkRange, checkZeroBudget } from "./checks.ts";
import { type CheckResult, EVAL_SCHEMA, type EvalRecord } from "./types.ts";

const TARGETS: readonly TargetMode[] = ["none", "next", "random", "leastLikely", "given"];

/** The resolved spec without seeds (the sweep sets them per batch), members of a composite included. */
function withoutSeed(resolved: ResolvedSpec): ResolvedSpec {
  const { seed: _seed, attacks, ...options } = resolved.options;
  return {
    attack: resolved.attack,
    options: Array.isArray(attacks) ? { ...options, attacks: attacks.map(withoutSeed) } : options,
  };
}

/** Label and resolved spec of a sweep attack (seeds left out: the sweep sets them per batch). */
export function describeAttack(
  attack: AttackSpec,
): { label: string; config: ResolvedSpec; target: TargetMode } {
  const config = withoutSeed(resolveSpec(attack));
  const target = TARGETS.find((t) => t === config.options.target) ?? "none";
  return { label: specLabel(config), config, target };
}

function members(config: ResolvedSpec): ResolvedSpec[] {
  const { attacks } = config.options;
  return Array.isArray(attacks) ? attacks : [];
}

const mean = (values: readonly number[]): number =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
const max = (values: readonly number[]): number => values.reduce((a, b) => Math.max(a, b), 0);
const meanOrNull = (values: readonly number[] | null): number | null =>
  values && values.length ? mean(values) : null;

/** Identity of a cell, beyond the attack and budget. */
export interface CellIdentity {
  dataset: string;
  datasetHash: string;
  split: string;
  model: string;
  modelHash: string;
  seed: number;
  batchSize: number;
  backend: string;
  codeVersion: string;
  configHash: string;
}

/** Builds the record and its per-cell checks (model-level checks are passed in). */
export function buildRecord(
  identity: CellIdentity,
  model: AvModel,
  attack: AttackSpec,
  budget: Budget,
  outcome: CellOutcome,
  modelChecks: CheckResult[],
): EvalRecord {
  const { metrics, success } = outcome;
  const n = metrics.cleanCorrect.length;
  const described = describeAttack(attack);
  const kind = budgetKind(budget);
  const info = attackInfo(attack.attack);
  const cleanCorrect = metrics.cleanCorrect.filter(Boolean).length;
  const fooled = metrics.cleanCorrect.filter((c, i) => c && success[i]).length;
  const robustAccuracy = metrics.adversarialCorrect.filter(Boolean).length / Math.max(n, 1);
  const cleanAccuracy = cleanCorrect / Math.max(n, 1);
  const lossStartMean = outcome.lossStart ? mean(outcome.lossStart) : null;
  const lossFinalMean = outcome.lossFinal ? mean(outcome.lossFinal) : null;
  const channels = model.visualNormalization.std.length;
  const checks: CheckResult[] = [
    checkBudget(
      budget.norm === "linf"
        ? { audio: max(metrics.audioLinf), visual: max(metrics.visualLinf) }
        : { audio: max(metrics.audioL2), visual: max(metrics.visualL2) },
      budget,
    ),
    checkRange(metrics.range, model.bounds),
    checkFinite(metrics.nonFinite),
    ...modelChecks,
  ];
  if (kind === "clean") checks.push(checkZeroBudget(cleanAccuracy, robustAccuracy));
  if (
    kind !== "clean" && described.target === "none" && info?.iterative && !info.composite &&
    lossStartMean !== null &&
    lossFinalMean !== null
  ) {
    checks.push(checkLossIncrease(lossStartMean, lossFinalMean));
  }
  const flags = checks.filter((c) => !c.ok).map((c) => c.id);
  return {
    schema: EVAL_SCHEMA,
    dataset: identity.dataset,
    datasetHash: identity.datasetHash,
    split: identity.split,
    model: identity.model,
    modelHash: identity.modelHash,
    modelKind: String(model.config.kind),
    fusion: String(model.config.fusion),
    modalities: model.modalities.join("+"),
    attack: attack.attack,
    attackLabel: described.label,
    attackConfig: stableStringify(described.config),
    norm: budget.norm,
    epsAudio: budget.audio,
    epsVisual: budget.visual,
    visualUnits: budget.visualUnits ?? "pixel",
    epsVisualPixel: max(visualPixelEpsilon(budget, model.visualNormalization, channels)),
    budgetKind: kind,
    target: described.target,
    seed: identity.seed,
    n,
    batchSize: identity.batchSize,
    cleanAccuracy,
    robustAccuracy,
    attackSuccessRate: cleanCorrect > 0 ? fooled / cleanCorrect : null,
    audioLinfMax: max(metrics.audioLinf),
    audioLinfMean: mean(metrics.audioLinf),
    audioL2Mean: mean(metrics.audioL2),
    audioSnrDbMean: meanOrNull(metrics.audioSnrDb.filter((v): v is number => v !== null)),
    visualLinfMax: max(metrics.visualLinf),
    visualLinfMean: mean(metrics.visualLinf),
    visualL2Mean: mean(metrics.visualL2),
    visualLinfPixelMax: max(metrics.visualLinfPixel),
    cosineAudioMean: meanOrNull(metrics.cosineAudio),
    cosineVisualMean: meanOrNull(metrics.cosineVisual),
    cosineAvCleanMean: meanOrNull(metrics.cosineAvClean),
    cosineAvAdversarialMean: meanOrNull(metrics.cosineAvAdversarial),
    lossStartMean,
    lossFinalMean,
    ensemble: info?.composite ? members(described.config).map(specLabel) : null,
    ensembleAccuracies: outcome.ensembleAccuracies,
    gradientCallsPerSample: outcome.gradientEvaluations / Math.max(n, 1),
    seconds: outcome.seconds,
    samplesPerSecond: n / Math.max(outcome.seconds, 1e-9),
    backend: identity.backend,
    codeVersion: identity.codeVersion,
    configHash: identity.configHash,
    createdAt: new Date().toISOString(),
    cached: false,
    checksPassed: flags.length === 0,
    flags,
    checks,
    perSample: {
      cleanCorrect: metrics.cleanCorrect.map(Number),
      success: success.map(Number),
      cosineAvClean: metrics.cosineAvClean,
      cosineAvAdversarial: metrics.cosineAvAdversarial,
    },
  };
}
