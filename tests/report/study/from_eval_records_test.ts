import assert from "node:assert/strict";
import { fromEvalRecords } from "../../../lib/report/study/from_eval_records.ts";
import { evalRecord } from "../_fixtures.ts";

Deno.test("fromEvalRecords() keeps one clean record per model and takes robust accuracy for attacks", () => {
  const records = fromEvalRecords([
    evalRecord({ attack: "fgsm", attackLabel: "fgsm" }),
    evalRecord({ attack: "pgd", attackLabel: "pgd" }),
    evalRecord({ budgetKind: "joint", epsAudio: 0.006, epsVisual: 0.006, robustAccuracy: 0.25 }),
  ], "table");
  assert.equal(records.length, 2);
  assert.deepEqual(records.map((r) => [r.attack, r.setting, r.accuracy, r.correct]), [
    ["none", "clean", 0.75, 3],
    ["pgd", "joint", 0.25, 1],
  ]);
  assert.deepEqual(records[0]?.cosine, [0.1, 0.2, 0.3, 0.4], "clean cosines for the clean record");
  assert.deepEqual(records[1]?.cosine, [0.5, 0.6, 0.7, 0.8], "attacked cosines otherwise");
  assert.ok(records.every((r) => r.study === "table" && r.kind === "av" && r.total === 4));
});

Deno.test("fromEvalRecords() drops cells that attack a modality the model does not read", () => {
  const audioOnly = { model: "audio", modelKind: "audio", fusion: "none", modalities: "audio" } as const;
  const records = fromEvalRecords([
    evalRecord({ ...audioOnly, budgetKind: "audio", epsAudio: 0.01 }),
    evalRecord({ ...audioOnly, budgetKind: "joint", epsAudio: 0.01, epsVisual: 0.01 }),
    evalRecord({ ...audioOnly, budgetKind: "visual", epsVisual: 0.01 }),
  ], "grid");
  assert.deepEqual(records.map((r) => r.setting), ["audio"]);
  assert.equal(records[0]?.kind, "audio");
});

Deno.test("fromEvalRecords() carries the cell's flags and leaves out missing cosines", () => {
  const perSample = { cleanCorrect: [1], success: [0], cosineAvClean: null, cosineAvAdversarial: null };
  const [record] = fromEvalRecords([evalRecord({ flags: ["budget"], perSample })], "grid");
  assert.deepEqual(record?.flags, ["budget"]);
  assert.equal(record?.cosine, undefined);
});

Deno.test("fromEvalRecords() keeps the visual std of each record's dataset, when it is given", () => {
  const cells = [evalRecord(), evalRecord({ dataset: "d2" })];
  const records = fromEvalRecords(cells, "table", { d1: [0.5, 0.5, 0.5] });
  assert.deepEqual(records.map((r) => r.visualStd), [[0.5, 0.5, 0.5], undefined]);
  assert.ok(fromEvalRecords(cells, "table").every((r) => !("visualStd" in r)));
});
