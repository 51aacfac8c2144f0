import assert from "node:assert/strict";
import { dataStage } from "../../../lib/report/study/data_stage.ts";
import { localizeStage, type LocalizeStageResult } from "../../../lib/report/study/localize_stage.ts";
import { type ReportConfig, resolveReportConfig } from "../../../lib/report/study/report_config.ts";
import { runPipeline } from "../../../lib/report/pipeline/pipeline.ts";
import type { DataStageResult } from "../../../lib/report/study/data_stage.ts";

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
    scene: "duet",
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

Deno.test("the localize stage trains and measures av-instruments on its duet variant, built through the data cache", async (t) => {
  const cacheDir = await Deno.makeTempDir({ prefix: "avrobust-localize-" });
  const run = async (scene: "duet" | "solo") => {
    const config = tinyConfig(8);
    config.datasets = resolveReportConfig({ profile: "smoke", datasets: ["av-instruments"] }).datasets;
    config.localize = {
      ...config.localize!,
      attacks: [],
      mapAttack: { ...config.localize!.mapAttack, directions: [] },
      scene,
    };
    const { results } = await runPipeline([dataStage, localizeStage], config, { cacheDir });
    const [data] = (results.data as DataStageResult).datasets;
    const { localizers, records } = results.localize as LocalizeStageResult;
    return { dataHash: data?.hash, trained: localizers[0]?.datasetHash, records };
  };
  await t.step("duet: its own dataset hash and cache folder, half-frame boxes", async () => {
    const { dataHash, trained, records } = await run("duet");
    assert.ok(trained && trained !== dataHash, "the localizer is trained on the duet variant");
    const builtin = [...Deno.readDirSync(`${cacheDir}/data/builtin`)].map((e) => e.name).sort();
    assert.equal(builtin.length, 2);
    assert.match(builtin.join(" "), /av-instruments-smoke-duet-seed0-/);
    const clean = records.find((r) => r.localizer === "attention" && r.attackLabel === "none");
    assert.ok(clean && clean.boxed > 0 && (clean.boxArea ?? 0) > 0.3, `box area ${clean?.boxArea}`);
  });
  await t.step("solo: the data stage's dataset", async () => {
    const { dataHash, trained } = await run("solo");
    assert.equal(trained, dataHash);
  });
  await Deno.remove(cacheDir, { recursive: true });
});
