import assert from "node:assert/strict";
import { dataStage } from "../../../lib/report/study/data_stage.ts";
import { localizeStage, type LocalizeStageResult } from "../../../lib/report/study/localize_stage.ts";
import { type ReportConfig, resolveReportConfig } from "../../../lib/report/study/report_config.ts";
import { runPipeline } from "../../../lib/report/pipeline/pipeline.ts";

function tinyConfig(samples: number): ReportConfig {
  const config = resolveReportConfig({ profile: "smoke" });
  config.localize = {
    localizers: ["attention", "wholeFrame"],
    attacks: [{ attack: "fgsm" }],
    mapAttack: { steps: 1, directions: ["out", "in"], keepClass: [false] },
    overlays: { samples: 2, attack: "fgsm" },
    datasets: null,
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
  const result = first.results.localize as LocalizeStageResult;
  // clean + fgsm, map-out and map-in on three settings, two localizers each.
  assert.equal(result.records.length, 2 * (1 + 3 * 3));
  assert.deepEqual(
    [...new Set(result.records.map((r) => r.attackLabel))].sort(),
    ["fgsm", "map-in", "map-out", "none"],
  );
  assert.ok(result.records.every((r) => r.samples === 4 && r.boxed === 0), "av-digits has no boxes");
  assert.ok(result.records.every((r) => r.visualStd?.every((std) => std === 0.5)), "the localizer's std");
  // Overlays: the first two samples (no boxes), the attention map clean and under fgsm per setting.
  const [overlays] = result.overlays;
  assert.equal(overlays?.samples.length, 2);
  assert.deepEqual(overlays?.panels, ["clean map", "fgsm on audio", "fgsm on visual", "fgsm on joint"]);
  for (const sample of overlays?.samples ?? []) {
    assert.equal(sample.maps.length, 4);
    assert.equal(sample.frame.length, sample.frameShape[0] * sample.frameShape[1], "grey av-digits frames");
    assert.match(sample.caption, /clean → .+, audio → .+, visual → .+, joint → .+/);
  }

  const second = await runPipeline(stages, tinyConfig(4), { cacheDir });
  assert.equal(row(second)?.status, "cached");
  assert.deepEqual(second.results.localize, first.results.localize);

  const third = await runPipeline(stages, tinyConfig(8), { cacheDir });
  assert.deepEqual([row(third)?.status, row(third)?.cellsCached, row(third)?.cellsComputed], ["ran", 1, 1]);
  await Deno.remove(cacheDir, { recursive: true });
});

Deno.test("the localize stage measures only the plan's datasets", async () => {
  const cacheDir = await Deno.makeTempDir({ prefix: "avrobust-localize-" });
  const config = tinyConfig(4);
  config.localize = { ...config.localize!, datasets: ["av-instruments"] };
  const run = await runPipeline([dataStage, localizeStage], config, { cacheDir });
  const result = run.results.localize as LocalizeStageResult;
  assert.deepEqual([result.records.length, result.overlays.length, result.localizers.length], [0, 0, 0]);
  await Deno.remove(cacheDir, { recursive: true });
});
