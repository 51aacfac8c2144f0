/**
 * The train stage reuses a cached model only if its checkpoint passes its hash check: a damaged or
 * swapped checkpoint makes that model alone train again (to the same weights), and the run says so.
 */
import assert from "node:assert/strict";
import { runPipeline } from "../../../lib/report/pipeline/pipeline.ts";
import { resolveReportConfig } from "../../../lib/report/study/report_config.ts";
import { trainStage, type TrainStageResult } from "../../../lib/report/study/train_stage.ts";
import type { PipelineEvent } from "../../../lib/report/types.ts";
import type { ReportConfig } from "../../../lib/report/study/report_config.ts";
import { TINY_MODEL } from "../../train/_fixtures.ts";
import { fakeDataStage } from "./_fake_data.ts";

const base = resolveReportConfig({ profile: "smoke", models: ["audio", "visual"] });
const CONFIG: ReportConfig = {
  ...base,
  datasets: base.datasets.slice(0, 1),
  models: base.models.filter((m) => m.id === "audio" || m.id === "visual"),
  model: TINY_MODEL,
  train: { epochs: 1, batchSize: 16 },
};
const SPEC = CONFIG.datasets[0];

const fakeData = fakeDataStage(SPEC);

async function run(cacheDir: string) {
  const events: PipelineEvent[] = [];
  const result = await runPipeline([fakeData, trainStage], CONFIG, {
    cacheDir,
    rerun: ["data"],
    onEvent: (event) => events.push(event),
  });
  const messages = events.flatMap((e) => (e.type === "progress" ? [e.message] : []));
  const models = (result.results.train as TrainStageResult).models;
  return { train: result.summary[1], models, messages };
}

const weightsHash = async (cacheDir: string, checkpoint: string) =>
  JSON.parse(await Deno.readTextFile(`${cacheDir}/${checkpoint}/checkpoint.json`)).weightsSha256 as string;

Deno.test("trainStage retrains exactly the model whose checkpoint fails its hash check", async (t) => {
  const cacheDir = await Deno.makeTempDir({ prefix: "avrobust-train-stage-" });
  const first = await run(cacheDir);
  assert.equal(first.train?.cellsComputed, 2);
  const [audio, visual] = first.models as [TrainStageResult["models"][0], TrainStageResult["models"][0]];
  const original = await weightsHash(cacheDir, audio.checkpoint);
  const audioDir = `${cacheDir}/${audio.checkpoint}`;
  const damage: [string, () => Promise<void>][] = [
    ["a weight file altered", async () => {
      const file = [...Deno.readDirSync(audioDir)].find((e) => e.name.endsWith(".bin"))?.name ?? "";
      const bytes = await Deno.readFile(`${audioDir}/${file}`);
      bytes[100] = (bytes[100] ?? 0) ^ 0x10;
      await Deno.writeFile(`${audioDir}/${file}`, bytes);
    }],
    ["model.json truncated", async () => {
      const text = await Deno.readTextFile(`${audioDir}/model.json`);
      await Deno.writeTextFile(`${audioDir}/model.json`, text.slice(0, 40));
    }],
    ["the checkpoint swapped with another model's", async () => {
      await Deno.remove(audioDir, { recursive: true });
      await Deno.mkdir(audioDir);
      for (const entry of Deno.readDirSync(`${cacheDir}/${visual.checkpoint}`)) {
        await Deno.copyFile(`${cacheDir}/${visual.checkpoint}/${entry.name}`, `${audioDir}/${entry.name}`);
      }
    }],
  ];
  for (const [name, corrupt] of damage) {
    await t.step(name, async () => {
      await corrupt();
      const again = await run(cacheDir);
      assert.equal(again.train?.status, "ran", "the stage-level hit was refused");
      assert.deepEqual(
        [again.train?.cellsCached, again.train?.cellsComputed],
        [1, 1],
        "only audio retrained",
      );
      assert.ok(
        again.messages.some((m) => /audio: checkpoint .* failed its hash check .*; running again$/.test(m)),
      );
      assert.ok(
        again.messages.some((m) =>
          /^train .* audio: checkpoint .* failed its hash check .*; retraining$/.test(m)
        ),
      );
      assert.equal(await weightsHash(cacheDir, audio.checkpoint), original, "retrained to the same weights");
      const settled = await run(cacheDir);
      assert.equal(settled.train?.status, "cached");
    });
  }
});
