/** Cell batches: shards split what a stage issues together by estimated cost. */
import assert from "node:assert/strict";
import { partitionCells } from "../../../lib/report/pipeline/cell_partition.ts";
import { runPipeline } from "../../../lib/report/pipeline/pipeline.ts";
import type { PipelineEvent, Stage } from "../../../lib/report/types.ts";

/** Costs of the batch: two dear cells and many cheap ones (a key hash would split them anyhow). */
const COSTS = [40, 35, 5, 5, 5, 5, 5, 5, 4, 3, 2, 1];
const CELLS = COSTS.map((cost, i) => ({ namespace: "cell", label: `cell ${i}`, cost }));

async function setup() {
  const root = await Deno.makeTempDir({ prefix: "avrobust-batch-" });
  await Deno.writeTextFile(`${root}/stage.ts`, "export const stage = 1;");
  const computedBy = new Map<string, number[]>();
  const stage = (shard: number): Stage<{ costs: number[] }, number[]> => ({
    name: "attack",
    description: "one batch of cells of known costs",
    sources: ["stage.ts"],
    inputs: (config) => config,
    run(context) {
      const batch = context.cellBatch(CELLS);
      return Promise.all(CELLS.map(({ label }, i) =>
        context.memo("cell", { i }, async () => {
          computedBy.set(label, [...computedBy.get(label) ?? [], shard]);
          await new Promise((resolve) => setTimeout(resolve, 2));
          return i;
        }, { label, batch })
      ));
    },
  });
  return { root, stage, computedBy, options: { cacheDir: `${root}/cache`, sourceRoot: root } };
}

Deno.test("runPipeline() on two shards: each computes the cells its batch's partition gives it, whatever the cache holds", async () => {
  const { root, stage, computedBy, options } = await setup();
  const messages: string[][] = [[], []];
  const shardRun = (index: number, rerun: string[] = []) =>
    runPipeline([stage(index)], { costs: COSTS }, {
      ...options,
      rerun,
      sharing: { shard: { index, count: 2, stealAfterMs: 60_000 }, claims: { pollMs: 5 } },
      onEvent: (event: PipelineEvent) => {
        if (event.type === "progress") messages[index]?.push(event.message);
      },
    });
  const [zero, one] = await Promise.all([shardRun(0), shardRun(1)]);
  assert.deepEqual(zero.results.attack, COSTS.map((_, i) => i));
  assert.deepEqual(one.results.attack, zero.results.attack);
  const owners = partitionCells(CELLS, 2);
  assert.deepEqual(CELLS.map(({ label }) => computedBy.get(label)), owners.map((owner) => [owner]));
  // The dear cells on different shards, and the estimated cost split evenly (58 of 115 on one shard).
  assert.notEqual(owners[0], owners[1]);
  const share = [0, 1].map((s) => COSTS.filter((_, i) => owners[i] === s).reduce((a, b) => a + b, 0));
  assert.deepEqual([...share].sort(), [57, 58]);
  assert.match(
    messages[0]?.[0] ?? "",
    /^shard 0\/2 owns \d+ of 12 cells \((49|50)% of their estimated cost\)$/,
  );
  // A warm cache changes nothing about who owns what.
  await shardRun(0, ["attack"]);
  assert.equal(messages[0]?.length, 2);
  assert.equal(messages[0]?.[1], messages[0]?.[0]);
  assert.equal(computedBy.size, CELLS.length);
  assert.ok([...computedBy.values()].every((by) => by.length === 1), "nothing computed twice");
  await Deno.remove(root, { recursive: true });
});

Deno.test("runPipeline() without shards ignores the partition and says nothing of it", async () => {
  const { root, stage, computedBy, options } = await setup();
  const messages: string[] = [];
  await runPipeline([stage(0)], { costs: COSTS }, {
    ...options,
    onEvent: (event) => event.type === "progress" && messages.push(event.message),
  });
  assert.equal(computedBy.size, CELLS.length);
  assert.deepEqual(messages, []);
  await Deno.remove(root, { recursive: true });
});

Deno.test("context.memo() with a batch needs a label the batch holds", async () => {
  const { root, options } = await setup();
  const run = (label: string | undefined) =>
    runPipeline(
      [{
        name: "attack",
        description: "a cell outside its batch",
        sources: ["stage.ts"],
        inputs: () => ({ label: label ?? null }),
        run: (context) =>
          context.memo("cell", {}, () => Promise.resolve(1), {
            batch: context.cellBatch(CELLS),
            ...(label === undefined ? {} : { label }),
          }),
      }],
      {},
      options,
    );
  await assert.rejects(run(undefined), { name: "TypeError", message: /a cell of a batch needs a label/ });
  await assert.rejects(run("cell 99"), {
    name: "TypeError",
    message: /its batch has no cell 'cell 99' in namespace 'cell' \(declare it in context.cellBatch\)/,
  });
  await Deno.remove(root, { recursive: true });
});
