/** The run summary's cell counts: each distinct cell once, computed when computed in this run. */
import assert from "node:assert/strict";
import { runPipeline } from "../../../lib/report/pipeline/pipeline.ts";
import type { Stage } from "../../../lib/report/types.ts";

interface Config {
  values: number[];
}

async function setup() {
  const root = await Deno.makeTempDir({ prefix: "avrobust-counts-" });
  await Deno.writeTextFile(`${root}/stage.ts`, "export const stage = 1;");
  let computed = 0;
  const stage: Stage<Config, number[]> = {
    name: "attack",
    description: "one cell per value, each asked for twice",
    sources: ["stage.ts"],
    inputs: (config) => config,
    run: (context) =>
      Promise.all(
        context.config.values.flatMap((value) => [value, value]).map((value) =>
          context.memo("cell", { value }, () => Promise.resolve((computed++, value * 10)))
        ),
      ),
  };
  return { stage, options: { cacheDir: `${root}/cache`, sourceRoot: root }, computed: () => computed };
}

const counts = (run: Awaited<ReturnType<typeof runPipeline>>) => {
  const row = run.summary[0];
  return [row?.cellsCached, row?.cellsComputed];
};

Deno.test("runPipeline() counts a cell asked for twice in one stage once", async () => {
  const { stage, options, computed } = await setup();
  const first = await runPipeline([stage], { values: [1, 2] }, options);
  assert.equal(computed(), 2);
  assert.deepEqual(counts(first), [0, 2], "an empty cache: nothing cached");
  const again = await runPipeline([stage], { values: [1, 2] }, { ...options, rerun: ["attack"] });
  assert.deepEqual(counts(again), [2, 0]);
});

Deno.test("runPipeline() counts cells stored by a worker during the run as computed (computedSince)", async () => {
  const { stage, options, computed } = await setup();
  await runPipeline([stage], { values: [1] }, options); // an earlier run
  await new Promise((resolve) => setTimeout(resolve, 50));
  const since = Date.now();
  // File times come from a coarse clock (a few ms behind Date.now()); a real worker starts far later.
  await new Promise((resolve) => setTimeout(resolve, 50));
  await runPipeline([stage], { values: [2] }, options); // a worker of this run
  const parent = await runPipeline([stage], { values: [1, 2, 3] }, { ...options, computedSince: since });
  assert.deepEqual(
    counts(parent),
    [1, 2],
    "value 1 was cached before; 2 (the worker's) and 3 are this run's",
  );
  assert.equal(computed(), 3);
  // Without computedSince (a worker's own summary, a shard), only what this process computed counts.
  const own = await runPipeline([stage], { values: [1, 2, 3] }, { ...options, rerun: ["attack"] });
  assert.deepEqual(counts(own), [3, 0]);
});
