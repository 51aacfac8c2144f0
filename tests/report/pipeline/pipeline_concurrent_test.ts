/** Stages side by side (`concurrentStages`): each starts once the stages it needs have ended. */
import assert from "node:assert/strict";
import { runPipeline } from "../../../lib/report/pipeline/pipeline.ts";
import type { PipelineEvent, Stage } from "../../../lib/report/types.ts";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** data → slow (needs data; waits 60 ms) → after (needs slow); side (needs data only). */
async function setup() {
  const root = await Deno.makeTempDir({ prefix: "avrobust-concurrent-" });
  await Deno.writeTextFile(`${root}/stage.ts`, "export const stage = 1;");
  const stage = (name: string, needs: string[], ms: number): Stage<{ n: number }, string> => ({
    name,
    description: name,
    sources: ["stage.ts"],
    needs,
    inputs: (config) => config,
    run: async (context) => {
      // Waiting outside a cell, as a process does for a cell that another process computes.
      await pause(ms);
      await context.memo("cell", { name }, () => Promise.resolve(`${name} done`));
      return `${name} ${context.config.n}`;
    },
  });
  const stages = [
    stage("data", [], 1),
    stage("slow", ["data"], 60),
    stage("after", ["data", "slow"], 1),
    stage("side", ["data"], 1),
  ] as Stage<{ n: number }, unknown>[];
  return { stages, root };
}

const order = (events: PipelineEvent[]) =>
  events.filter((e) => e.type !== "progress").map((e) => `${e.type} ${e.stage}`);

Deno.test("runPipeline() with concurrentStages starts a stage once its needs end, and keeps the results", async () => {
  const { stages, root } = await setup();
  const events: PipelineEvent[] = [];
  const options = {
    cacheDir: `${root}/side-by-side`,
    sourceRoot: root,
    onEvent: (e: PipelineEvent) => events.push(e),
  };
  const run = await runPipeline(stages, { n: 1 }, { ...options, concurrentStages: true });
  const seen = order(events);
  assert.ok(seen.indexOf("end side") < seen.indexOf("end slow"), `side did not wait for slow: ${seen}`);
  assert.ok(seen.indexOf("start after") > seen.indexOf("end slow"), `after waited for slow: ${seen}`);
  assert.deepEqual(run.summary.map((row) => row.name), ["data", "slow", "after", "side"], "registry order");
  const inOrder = await runPipeline(stages, { n: 1 }, { cacheDir: `${root}/in-order`, sourceRoot: root });
  assert.deepEqual(run.results, inOrder.results);
  assert.deepEqual(run.summary.map((row) => row.key), inOrder.summary.map((row) => row.key));
  await Deno.remove(root, { recursive: true });
});

Deno.test("runPipeline() runs stages in registry order unless cells are shared or concurrentStages is set", async () => {
  const { stages, root } = await setup();
  const events: PipelineEvent[] = [];
  await runPipeline(stages, { n: 2 }, {
    cacheDir: `${root}/cache`,
    sourceRoot: root,
    onEvent: (e) => events.push(e),
  });
  assert.deepEqual(order(events), [
    "start data",
    "end data",
    "start slow",
    "end slow",
    "start after",
    "end after",
    "start side",
    "end side",
  ]);
  const shared: PipelineEvent[] = [];
  await runPipeline(stages, { n: 3 }, {
    cacheDir: `${root}/shared`,
    sourceRoot: root,
    sharing: { shared: true },
    onEvent: (e) => shared.push(e),
  });
  const seen = order(shared);
  assert.ok(seen.indexOf("end side") < seen.indexOf("end slow"), `shared cells: side by side: ${seen}`);
  await Deno.remove(root, { recursive: true });
});

Deno.test("runPipeline() with concurrentStages fails with the first failing stage", async () => {
  const { stages, root } = await setup();
  const broken = { ...stages[3]!, run: () => Promise.reject(new Error("side broke")) } as Stage<
    { n: number },
    unknown
  >;
  await assert.rejects(
    runPipeline([...stages.slice(0, 3), broken], { n: 4 }, {
      cacheDir: `${root}/cache`,
      sourceRoot: root,
      concurrentStages: true,
    }),
    /side broke/,
  );
  await Deno.remove(root, { recursive: true });
});

Deno.test("runPipeline() with stages side by side names a damaged cell's own stage, not the one that started last", async () => {
  const { stages, root } = await setup();
  const cacheDir = `${root}/cache`;
  await runPipeline(stages, { n: 4 }, { cacheDir, sourceRoot: root, concurrentStages: true });
  // Damage the cell of `slow`, which reads it 60 ms after it starts, while `after`'s sibling `side` has
  // started since (and with it the pipeline's notion of the current stage).
  const dir = `${cacheDir}/cell/slow/cell`;
  for await (const sub of Deno.readDir(dir)) {
    for await (const file of Deno.readDir(`${dir}/${sub.name}`)) {
      await Deno.writeTextFile(`${dir}/${sub.name}/${file.name}`, "{ not json");
    }
  }
  const events: PipelineEvent[] = [];
  await runPipeline(stages, { n: 4 }, {
    cacheDir,
    sourceRoot: root,
    concurrentStages: true,
    rerun: ["slow", "side"],
    onEvent: (e) => events.push(e),
  });
  const started = order(events);
  assert.ok(
    started.indexOf("start side") < started.indexOf("end slow"),
    `side started during slow: ${started}`,
  );
  const warnings = events.filter((e) => e.type === "progress" && /failed its hash check/.test(e.message));
  assert.deepEqual(warnings.map((e) => e.stage), ["slow"]);
  await Deno.remove(root, { recursive: true });
});
