/**
 * The attack stage's adversarial examples: one cached cell per dataset, rendered by the stage's report
 * hook as a page section and as files.
 */
import assert from "node:assert/strict";
import { runPipeline } from "../../../lib/report/pipeline/pipeline.ts";
import {
  attackRecords,
  attackStage,
  type AttackStageResult,
} from "../../../lib/report/study/attack_stage.ts";
import { withExampleOverrides } from "../../../lib/report/study/example_plan.ts";
import { type ReportConfig, resolveReportConfig } from "../../../lib/report/study/report_config.ts";
import { trainStage } from "../../../lib/report/study/train_stage.ts";
import type { HtmlSection } from "../../../lib/report/types.ts";
import { TINY_MODEL } from "../../train/_fixtures.ts";
import { fakeDataStage } from "./_fake_data.ts";

const base = resolveReportConfig({ profile: "smoke", models: ["av-concat"] });
const SPEC = base.datasets[0];

function config(examples: ReportConfig["attack"]["examples"]): ReportConfig {
  return {
    ...base,
    model: TINY_MODEL,
    train: { epochs: 1, batchSize: 16 },
    attack: { ...base.attack, attacks: [{ attack: "fgsm" }], grid: null, samples: 8, batchSize: 8, examples },
  };
}

const fakeData = fakeDataStage(SPEC);

const PLAN = { model: "av-concat", samples: 2, attack: { attack: "pgd" as const, options: { steps: 1 } } };

Deno.test("the attack stage keeps its examples in one cached cell per dataset, shown as a section and files", async () => {
  const cacheDir = await Deno.makeTempDir({ prefix: "avrobust-attack-" });
  const stages = [fakeData, trainStage, attackStage];
  const run = (examples: ReportConfig["attack"]["examples"]) =>
    runPipeline(stages, config(examples), { cacheDir, rerun: ["data"] });
  const row = (result: Awaited<ReturnType<typeof run>>) => result.summary.find((s) => s.name === "attack");

  const first = await run(PLAN);
  const result = first.results.attack as AttackStageResult;
  assert.equal(result.examples.length, 1);
  const [set] = result.examples;
  assert.deepEqual([set?.dataset, set?.model, set?.attack, set?.samples.length], [
    SPEC?.name,
    "av-concat",
    "pgd(steps=1)",
    2,
  ]);
  assert.deepEqual(set?.samples[0]?.attacks.map((a) => a.setting), ["audio", "visual", "joint"]);
  // The records keep the visual std of the dataset's models, the one the examples' model has.
  const std = result.visualStd[SPEC?.name ?? ""];
  assert.deepEqual(std, set?.visualStd);
  assert.ok(attackRecords(result).every((r) => JSON.stringify(r.visualStd) === JSON.stringify(std)));

  const report = attackStage.report?.(result);
  const html = (report?.sections?.[0] as HtmlSection | undefined)?.html ?? "";
  assert.match(html, /^<h2 id="adversarial-examples">Adversarial examples<\/h2>/);
  assert.equal(html.match(/<audio controls/g)?.length, 2 * 5);
  const paths = (report?.files ?? []).map((f) => f.path);
  assert.ok(paths.includes("examples/index.html") && paths.includes("examples/index.json"));
  assert.equal(paths.filter((p) => p.endsWith(".wav")).length, 2 * 5);

  const second = await run(PLAN);
  assert.equal(row(second)?.status, "cached");
  assert.deepEqual(second.results.attack, first.results.attack);

  // A changed example plan recomputes the examples cell only (the sweeps' cell is reused).
  const third = await run({ ...PLAN, samples: 3 });
  assert.deepEqual([row(third)?.status, row(third)?.cellsComputed, row(third)?.cellsCached], ["ran", 1, 1]);
  assert.equal((third.results.attack as AttackStageResult).examples[0]?.samples.length, 3);
  assert.deepEqual((third.results.attack as AttackStageResult).table, result.table);

  // Another attack for the examples (`--examples-attack fgsm`) is another examples cell, the sweeps reused.
  const fgsm = await run(withExampleOverrides(PLAN, [], { attack: "fgsm" }));
  assert.deepEqual([row(fgsm)?.cellsComputed, row(fgsm)?.cellsCached], [1, 1]);
  assert.equal((fgsm.results.attack as AttackStageResult).examples[0]?.attack, "fgsm");
  assert.equal(row(await run(PLAN))?.cellsComputed, 0, "back to PGD: its cell again");

  const none = (await run(null)).results.attack as AttackStageResult;
  assert.deepEqual(none.examples, []);
  assert.deepEqual(attackStage.report?.(none).sections, []);
  assert.deepEqual(attackStage.report?.(none).files, []);
  await Deno.remove(cacheDir, { recursive: true });
});
