import assert from "node:assert/strict";
import { dataStage } from "../../../lib/report/study/data_stage.ts";
import { localizeStage } from "../../../lib/report/study/localize_stage.ts";
import { type ReportConfig, resolveReportConfig } from "../../../lib/report/study/report_config.ts";
import { runPipeline } from "../../../lib/report/pipeline/pipeline.ts";

function tinyConfig(samples: number): ReportConfig {
  const config = resolveReportConfig({ profile: "smoke" });
  config.localize = {
    localizers: ["attention", "wholeFrame"],
    attacks: [{ attack: "fgsm" }],
    mapAttack: { steps: 1, keepClass: [false] },
    samples,
    batchSize: 4,
    resamples: 20,
  };
  return config;
}

Deno.test("the localize stage caches its localizer and its cells: a hit, then a changed plan recomputes only the cell", async () => {
  const cacheDir = await Deno.makeTempDir({ prefix: "avrobust-localize-" });
  const stages = [dataStage, localizeStage];
  const first = await runPipeline(stages, tinyConfig(4), { cacheDir });
  const row = (run: typeof first) => run.summary.find((s) => s.name === "localize");
  assert.deepEqual([row(first)?.status, row(first)?.cellsComputed], ["ran", 2]);
  const result = first.results.localize as { records: { attack: string; samples: number; boxed: number }[] };
  // clean + fgsm and map-out on three settings, two localizers each.
  assert.equal(result.records.length, 2 * (1 + 3 * 2));
  assert.ok(result.records.every((r) => r.samples === 4 && r.boxed === 0), "av-digits has no boxes");

  const second = await runPipeline(stages, tinyConfig(4), { cacheDir });
  assert.equal(row(second)?.status, "cached");
  assert.deepEqual(second.results.localize, first.results.localize);

  const third = await runPipeline(stages, tinyConfig(8), { cacheDir });
  assert.deepEqual([row(third)?.status, row(third)?.cellsCached, row(third)?.cellsComputed], ["ran", 1, 1]);
  await Deno.remove(cacheDir, { recursive: true });
});
