/**
 * Fake records for the report tests: a full set of table and grid cells for a few models, with
 * deterministic accuracies.
 */
import { createRng } from "../../lib/engine/random.ts";
import { EVAL_SCHEMA, type EvalRecord } from "../../lib/eval/mod.ts";
import type { AttackSetting, ReportRecord } from "../../lib/report/types.ts";

/** Labels meant to break HTML, Markdown tables and code spans. */
export const HOSTILE = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(2)>',
  "a | b | c",
  "`code` and ``double``",
  "[link](javascript:alert(3))",
  "*bold* _under_ \\ backslash\nnewline",
] as const;

interface FakeOptions {
  /** Dataset names. @default ["d1"] */
  datasets?: readonly string[];
  /** Fusions of the av models. @default ["concat", "sum"] */
  fusions?: readonly string[];
  /** Attacks. @default ["fgsm", "pgd"] */
  attacks?: readonly string[];
  /** Samples per cell. @default 50 */
  total?: number;
}

/** A full record set; accuracies fall with ε, joint attacks hurt most. */
export function fakeRecords(options: FakeOptions = {}): ReportRecord[] {
  const { datasets = ["d1"], fusions = ["concat", "sum"], attacks = ["fgsm", "pgd"], total = 50 } = options;
  const rng = createRng(7);
  const records: ReportRecord[] = [];
  const models = [
    { model: "audio", kind: "audio" as const, fusion: "none" },
    { model: "visual", kind: "visual" as const, fusion: "none" },
    ...fusions.map((fusion) => ({ model: `av-${fusion}`, kind: "av" as const, fusion })),
  ];
  const base = { norm: "linf" as const, visualUnits: "normalized" as const, seed: 0 };
  const add = (
    dataset: string,
    m: (typeof models)[number],
    attack: string,
    study: "table" | "grid",
    setting: AttackSetting,
    epsAudio: number,
    epsVisual: number,
  ) => {
    const strength = (epsAudio + epsVisual) * (setting === "joint" ? 120 : 60) * (attack === "pgd" ? 1.5 : 1);
    const accuracy = Math.max(0, Math.min(1, 0.92 - strength - 0.05 * rng.uniform()));
    const correct = Math.round(accuracy * total);
    const cosine = m.kind === "av"
      ? Array.from({ length: 8 }, () => (setting === "clean" ? 0.2 : 0.5) + 0.2 * rng.uniform())
      : undefined;
    records.push({
      ...base,
      dataset,
      ...m,
      attack,
      attackOptions: {},
      study,
      setting,
      epsAudio,
      epsVisual,
      correct,
      total,
      accuracy: correct / total,
      ...(cosine ? { cosine } : {}),
    });
  };
  for (const dataset of datasets) {
    for (const m of models) {
      add(dataset, m, "none", "table", "clean", 0, 0);
      add(dataset, m, "none", "grid", "clean", 0, 0);
      for (const attack of attacks) {
        if (m.kind !== "visual") add(dataset, m, attack, "table", "audio", 0.012, 0);
        if (m.kind !== "audio") add(dataset, m, attack, "table", "visual", 0, 0.012);
        if (m.kind === "av") add(dataset, m, attack, "table", "joint", 0.006, 0.006);
        const values = [0.001, 0.002, 0.004];
        for (const v of [0, ...values]) {
          for (const a of [0, ...values]) {
            if (v === 0 && a === 0) continue;
            if (m.kind === "audio" && v > 0) continue;
            if (m.kind === "visual" && a > 0) continue;
            add(dataset, m, attack, "grid", a > 0 && v > 0 ? "joint" : a > 0 ? "audio" : "visual", a, v);
          }
        }
      }
    }
  }
  return records;
}

/** A complete sweep record with neutral values; override what a test needs. */
export function evalRecord(overrides: Partial<EvalRecord> = {}): EvalRecord {
  return {
    schema: EVAL_SCHEMA,
    dataset: "d1",
    datasetHash: "h",
    split: "test",
    model: "av-concat",
    modelHash: "m",
    modelKind: "av",
    fusion: "concat",
    modalities: "audio+visual",
    attack: "pgd",
    attackLabel: "pgd",
    attackConfig: "{}",
    norm: "linf",
    epsAudio: 0,
    epsVisual: 0,
    visualUnits: "normalized",
    epsVisualPixel: 0,
    budgetKind: "clean",
    target: "none",
    seed: 0,
    n: 4,
    batchSize: 4,
    cleanAccuracy: 0.75,
    robustAccuracy: 0.75,
    attackSuccessRate: null,
    audioLinfMax: 0,
    audioLinfMean: 0,
    audioL2Mean: 0,
    audioSnrDbMean: null,
    visualLinfMax: 0,
    visualLinfMean: 0,
    visualL2Mean: 0,
    visualLinfPixelMax: 0,
    cosineAudioMean: null,
    cosineVisualMean: null,
    cosineAvCleanMean: null,
    cosineAvAdversarialMean: null,
    lossStartMean: null,
    lossFinalMean: null,
    ensemble: null,
    ensembleAccuracies: null,
    gradientCallsPerSample: 0,
    seconds: 0.5,
    samplesPerSecond: 8,
    backend: "cpu",
    codeVersion: "c",
    configHash: "k",
    createdAt: "2026-01-01T00:00:00.000Z",
    cached: false,
    checksPassed: true,
    flags: [],
    checks: [],
    perSample: {
      cleanCorrect: [1, 1, 1, 0],
      success: [0, 0, 0, 1],
      cosineAvClean: [0.1, 0.2, 0.3, 0.4],
      cosineAvAdversarial: [0.5, 0.6, 0.7, 0.8],
    },
    ...overrides,
  };
}
