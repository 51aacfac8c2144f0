import assert from "node:assert/strict";
import { dataStage } from "../../../lib/report/study/data_stage.ts";
import { DEFENSE_PLANS, type DefensePlan } from "../../../lib/report/study/defense_plan.ts";
import { type DefenseRecord, defenseStage } from "../../../lib/report/study/defense_stage.ts";
import { type ReportConfig, resolveReportConfig } from "../../../lib/report/study/report_config.ts";
import { trainStage } from "../../../lib/report/study/train_stage.ts";
import { runPipeline } from "../../../lib/report/pipeline/pipeline.ts";

function tinyConfig(samples: number): ReportConfig {
  const config = resolveReportConfig({ profile: "smoke", models: ["av-concat"] });
  const plan = DEFENSE_PLANS.smoke as DefensePlan;
  config.defense = {
    ...plan,
    variants: ["vanilla", "dissimilarityMemory"],
    memory: { ...plan.memory, size: 16, maxIterations: 2 },
    samples,
    batchSize: 4,
    steps: 1,
    squareQueries: 3,
    ablation: { samples: 2, mix: [1], lambda: [], size: [], maxIterations: [] },
    resamples: 20,
  };
  return config;
}

Deno.test("the defense stage caches its fine-tuned models and its cells: a hit, then a changed plan recomputes only the cells", async () => {
  const cacheDir = await Deno.makeTempDir({ prefix: "avrobust-defense-" });
  const stages = [dataStage, trainStage, defenseStage];
  const first = await runPipeline(stages, tinyConfig(4), { cacheDir });
  const row = (run: typeof first) => run.summary.find((s) => s.name === "defense");
  // Two fine-tuned models, two table cells and one ablation cell.
  assert.deepEqual([row(first)?.status, row(first)?.cellsComputed], ["ran", 5]);
  const result = first.results.defense as { records: DefenseRecord[] };
  const table = result.records.filter((r) => r.study === "table");
  // Clean plus the five distinct budgets (the paper's three, the attack study's A and V) per model.
  assert.equal(table.length, 2 * 6);
  assert.ok(table.every((r) => r.samples === 4 && r.accuracy.low <= r.accuracy.value));
  assert.equal(result.records.filter((r) => r.study === "sanity").length, 2, "one large-ε point per model");
  assert.ok(
    table.filter((r) => r.variant === "dissimilarityMemory" && r.setting === "joint").every((r) =>
      r.attacks.some((a) => a.label.startsWith("BPDA linear")) && r.attacks.some((a) => a.label === "Square")
    ),
    "the memory defense meets BPDA and Square",
  );
  assert.ok(table.some((r) => r.variant === "dissimilarityMemory" && r.diagnostics?.audio !== undefined));
  // Every row keeps its model's visual std (the small preset's 0.5), for the budgets' pixel sizes.
  assert.ok(result.records.every((r) => r.visualStd?.every((std) => std === 0.5)));

  const second = await runPipeline(stages, tinyConfig(4), { cacheDir });
  assert.equal(row(second)?.status, "cached");
  assert.deepEqual(second.results.defense, first.results.defense);

  const third = await runPipeline(stages, tinyConfig(2), { cacheDir });
  assert.deepEqual([row(third)?.status, row(third)?.cellsCached, row(third)?.cellsComputed], ["ran", 3, 2]);
  await Deno.remove(cacheDir, { recursive: true });
});
