import assert from "node:assert/strict";
import { checkClaims } from "../../../lib/report/study/claims.ts";
import type { AttackSetting, ReportRecord } from "../../../lib/report/types.ts";

const EPS: Record<AttackSetting, [number, number]> = {
  clean: [0, 0],
  audio: [0.012, 0],
  visual: [0, 0.012],
  joint: [0.006, 0.006],
};

function rec(model: string, setting: AttackSetting, accuracy: number, total = 200): ReportRecord {
  const kind = model === "audio" ? "audio" : model === "visual" ? "visual" : "av";
  const [epsAudio, epsVisual] = EPS[setting];
  return {
    dataset: "d",
    model,
    kind,
    fusion: kind === "av" ? model.slice(3) : "none",
    attack: setting === "clean" ? "none" : "pgd",
    attackOptions: {},
    study: "table",
    setting,
    norm: "linf",
    epsAudio,
    epsVisual,
    visualUnits: "normalized",
    correct: Math.round(accuracy * total),
    total,
    accuracy,
    seed: 0,
  };
}

function unimodal(audioUnder: number, visualUnder: number): ReportRecord[] {
  return [
    rec("audio", "clean", 0.8),
    rec("audio", "audio", audioUnder),
    rec("visual", "clean", 0.8),
    rec("visual", "visual", visualUnder),
  ];
}

function av(model: string, clean: number, a: number, v: number, joint: number): ReportRecord[] {
  return [
    rec(model, "clean", clean),
    rec(model, "audio", a),
    rec(model, "visual", v),
    rec(model, "joint", joint),
  ];
}

const verdict = (records: ReportRecord[], id: string) =>
  checkClaims(records).find((c) => c.id === id)?.verdict;

Deno.test("checkClaims() finds claim 1 holding when an attack halves clean accuracy, and not otherwise", () => {
  assert.equal(verdict(av("av-concat", 0.9, 0.3, 0.6, 0.2), "susceptible"), "holds");
  assert.equal(verdict(av("av-concat", 0.9, 0.8, 0.85, 0.7), "susceptible"), "does not hold");
  assert.equal(
    verdict([...av("av-concat", 0.9, 0.3, 0.6, 0.2), ...av("av-sum", 0.9, 0.8, 0.8, 0.8)], "susceptible"),
    "holds in part",
  );
});

Deno.test("checkClaims() decides claim 2 from the joint attack against the best unimodal model", () => {
  assert.equal(
    verdict([...unimodal(0.5, 0.4), ...av("av-concat", 0.9, 0.6, 0.6, 0.2)], "integration"),
    "holds",
  );
  assert.equal(
    verdict([...unimodal(0.5, 0.4), ...av("av-concat", 0.9, 0.7, 0.7, 0.7)], "integration"),
    "does not hold",
  );
  assert.equal(
    verdict([...unimodal(0.5, 0.4), ...av("av-concat", 0.9, 0.6, 0.6, 0.49)], "integration"),
    "not distinguishable from noise",
  );
});

Deno.test("checkClaims() decides claim 3 from the spread between fusions beyond two standard errors", () => {
  const apart = [...av("av-concat", 0.9, 0.2, 0.2, 0.1), ...av("av-sum", 0.9, 0.6, 0.6, 0.5)];
  assert.equal(verdict(apart, "fusion"), "holds");
  const close = [...av("av-concat", 0.9, 0.5, 0.5, 0.4), ...av("av-sum", 0.9, 0.51, 0.5, 0.41)];
  assert.equal(verdict(close, "fusion"), "not distinguishable from noise");
  assert.equal(
    verdict(av("av-concat", 0.9, 0.5, 0.5, 0.4), "fusion"),
    "not measured",
    "one fusion cannot vary",
  );
});

Deno.test("checkClaims() lists every comparison behind a verdict", () => {
  const checks = checkClaims([
    ...unimodal(0.5, 0.4),
    ...av("av-concat", 0.9, 0.6, 0.6, 0.2),
    ...av("av-sum", 0.9, 0.6, 0.6, 0.6),
  ]);
  const integration = checks.find((c) => c.id === "integration");
  assert.equal(integration?.evidence.length, 2);
  assert.deepEqual(integration?.evidence.map((e) => e.outcome), ["holds", "does not hold"]);
  assert.equal(integration?.verdict, "holds in part");
  assert.match(integration?.summary ?? "", /1 of 2/);
});
