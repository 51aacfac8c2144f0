/**
 * runPipeline() serves no stored stage result or memo cell that fails its hash check: each is computed
 * again, rewritten, and announced by a `progress` event.
 */
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { runPipeline } from "../../../lib/report/pipeline/pipeline.ts";
import type { PipelineEvent, Stage } from "../../../lib/report/types.ts";

const VALUES = [1, 2, 3];

/** One stage with a memo cell per value (value × 10); counts stage runs and cell computations. */
async function setup() {
  const root = await Deno.makeTempDir({ prefix: "avrobust-integrity-" });
  await Deno.writeTextFile(`${root}/stage.ts`, "export const stage = 1;");
  const ran = { stage: 0, cells: 0 };
  const stage: Stage<Record<string, never>, { cells: number[] }> = {
    name: "attack",
    description: "one cell per value",
    sources: [pathToFileURL(`${root}/stage.ts`)],
    inputs: () => ({}),
    run: async (context) => {
      ran.stage++;
      const cells: number[] = [];
      for (const value of VALUES) {
        cells.push(await context.memo("cell", { value }, () => (ran.cells++, Promise.resolve(value * 10))));
      }
      return { cells };
    },
  };
  const events: PipelineEvent[] = [];
  const options = {
    cacheDir: `${root}/cache`,
    sourceRoot: root,
    onEvent: (e: PipelineEvent) => events.push(e),
  };
  const first = await runPipeline([stage], {}, options);
  const warnings = () =>
    events.flatMap((e) => (e.type === "progress" && /failed its hash check/.test(e.message) ? [e] : []));
  const stagePath = `${options.cacheDir}/stage/attack/${first.summary[0]?.key.slice(0, 2)}/${
    first.summary[0]?.key
  }.json`;
  const cellPaths: string[] = [];
  for await (const sub of Deno.readDir(`${options.cacheDir}/cell/attack/cell`)) {
    for await (const file of Deno.readDir(`${options.cacheDir}/cell/attack/cell/${sub.name}`)) {
      cellPaths.push(`${options.cacheDir}/cell/attack/cell/${sub.name}/${file.name}`);
    }
  }
  cellPaths.sort();
  return { ran, stage, options, warnings, stagePath, cellPaths };
}

/** Ways to damage a cache file; `other` is another entry's file of the same kind. */
const DAMAGE: Record<string, (path: string, other: string) => Promise<void>> = {
  "a number changed, JSON still valid": async (path) => {
    const text = await Deno.readTextFile(path);
    const envelope = JSON.parse(text);
    const value = envelope.value;
    if (typeof value === "number") envelope.value = value + 1;
    else envelope.value.result.cells[0] += 1;
    await Deno.writeTextFile(path, JSON.stringify(envelope));
  },
  "truncated": async (path) => {
    const text = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, text.slice(0, Math.floor(text.length / 2)));
  },
  "swapped with another entry's file": (path, other) => Deno.copyFile(other, path),
};

Deno.test("runPipeline() recomputes a memo cell that fails its hash check and says so", async (t) => {
  for (const [name, corrupt] of Object.entries(DAMAGE)) {
    await t.step(name, async () => {
      const { ran, stage, options, warnings, cellPaths } = await setup();
      const [target, other] = cellPaths as [string, string];
      await corrupt(target, other);
      const second = await runPipeline([stage], {}, { ...options, rerun: ["attack"] });
      assert.deepEqual(
        second.results.attack,
        { cells: [10, 20, 30] },
        "the recomputed value equals the original",
      );
      assert.equal(ran.cells, 4, "exactly the damaged cell was computed again");
      assert.deepEqual([second.summary[0]?.cellsCached, second.summary[0]?.cellsComputed], [2, 1]);
      assert.equal(warnings().length, 1);
      assert.match(
        warnings()[0]?.message ?? "",
        /^cache entry cell\/attack\/cell\/[0-9a-f]{12} failed its hash check/,
      );
      await runPipeline([stage], {}, { ...options, rerun: ["attack"] });
      assert.equal(ran.cells, 4, "the cell was rewritten whole");
    });
  }
});

Deno.test("runPipeline() runs a stage whose stored result fails its hash check again and says so", async (t) => {
  for (const [name, corrupt] of Object.entries(DAMAGE)) {
    await t.step(name, async () => {
      const { ran, stage, options, warnings, stagePath, cellPaths } = await setup();
      // A swap puts a cell's file (another entry of the store) where the stage result belongs.
      await corrupt(stagePath, cellPaths[0] as string);
      const second = await runPipeline([stage], {}, options);
      assert.equal(second.summary[0]?.status, "ran");
      assert.deepEqual(second.results.attack, { cells: [10, 20, 30] });
      assert.deepEqual([ran.stage, ran.cells], [2, 3], "the stage ran again, its cells came from the cache");
      assert.equal(warnings().length, 1);
      assert.equal(warnings()[0]?.stage, "attack");
      const third = await runPipeline([stage], {}, options);
      assert.equal(third.summary[0]?.status, "cached", "the result was rewritten whole");
    });
  }
});

Deno.test("runPipeline() runs a stage again when its verify() rejects the stored result", async () => {
  const { ran, stage, options, warnings } = await setup();
  let problem: string | undefined = "checkpoint x failed its hash check (weights altered)";
  const checked: Stage<Record<string, never>, { cells: number[] }> = {
    ...stage,
    verify: (result, cacheDir) => {
      assert.deepEqual([result.cells, cacheDir], [[10, 20, 30], options.cacheDir]);
      return Promise.resolve(problem);
    },
  };
  const second = await runPipeline([checked], {}, options);
  assert.equal(second.summary[0]?.status, "ran");
  assert.equal(ran.stage, 2);
  assert.match(
    warnings()[0]?.message ?? "",
    /^cached result checkpoint x failed its hash check .*; running again$/,
  );
  problem = undefined;
  assert.equal((await runPipeline([checked], {}, options)).summary[0]?.status, "cached");
});
