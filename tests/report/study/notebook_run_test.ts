import assert from "node:assert/strict";
import { LongRunRefusedError, resolveReportConfig, runForNotebook } from "../../../lib/report/study/mod.ts";
import type { PipelineEvent, Stage } from "../../../lib/report/types.ts";
import type { ReportConfig } from "../../../lib/report/study/mod.ts";

/** A data stage and a one-cell "train" stage under the study's names; counts what it computed. */
async function setup() {
  const root = await Deno.makeTempDir({ prefix: "avrobust-notebook-run-" });
  await Deno.writeTextFile(`${root}/stage.ts`, "export const stage = 1;");
  let computed = 0;
  const data: Stage<ReportConfig, number> = {
    name: "data",
    description: "data",
    sources: ["stage.ts"],
    inputs: (config) => config.profile,
    run: () => Promise.resolve(1),
  };
  const train: Stage<ReportConfig, number> = {
    name: "train",
    description: "one cell",
    needs: ["data"],
    sources: ["stage.ts"],
    inputs: (config) => config.profile,
    run: (context) => context.memo("model", context.config.profile, () => Promise.resolve(++computed)),
  };
  return {
    stages: [data, train],
    options: { cacheDir: `${root}/cache`, sourceRoot: root },
    computed: () => computed,
  };
}

Deno.test("runForNotebook() refuses a cold run of a long profile, saying how long it takes and how to allow it", async () => {
  const { stages, options, computed } = await setup();
  const config = resolveReportConfig({ profile: "default" });
  await assert.rejects(runForNotebook(stages, config, options), (error) => {
    assert.ok(error instanceof LongRunRefusedError);
    assert.deepEqual(error.stages, ["train"]);
    assert.match(
      error.message,
      /^Not started: the default profile needs train and the cache lacks cell cell\/train\/model/,
    );
    assert.match(error.message, /takes about 6 min \(train about 6 min\)/);
    assert.match(error.message, /const allowLongRun = true/);
    return true;
  });
  assert.equal(computed(), 0, "nothing computed");
  const events: PipelineEvent[] = [];
  const run = await runForNotebook(stages, config, {
    ...options,
    allowLongRun: true,
    onEvent: (e) => events.push(e),
  });
  assert.equal(run.results.train, 1);
  assert.ok(
    events.some((e) =>
      e.type === "progress" && /not cached: computing train takes about 6 min/.test(e.message)
    ),
  );
  // Warm: no permission needed, nothing computed again.
  const warm = await runForNotebook(stages, config, options);
  assert.deepEqual([warm.results.train, computed()], [1, 1]);
});

Deno.test("runForNotebook() runs the smoke profile cold without asking", async () => {
  const { stages, options, computed } = await setup();
  const run = await runForNotebook(stages, resolveReportConfig({ profile: "smoke" }), options);
  assert.deepEqual([run.results.train, computed()], [1, 1]);
});
