import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { runPipeline } from "../../../lib/report/pipeline/pipeline.ts";
import type { Stage } from "../../../lib/report/types.ts";

interface Config {
  values: number[];
  scale: number;
  label: string;
}

/**
 * A project whose stage module (`src/stage.ts`) imports one source file, a data stage and a cell-cached
 * "attack" stage; counts what ran.
 */
async function setup() {
  const root = await Deno.makeTempDir({ prefix: "avrobust-pipeline-" });
  await Deno.mkdir(`${root}/src`);
  await Deno.writeTextFile(`${root}/src/a.ts`, "export const a = 1;");
  await Deno.writeTextFile(`${root}/src/stage.ts`, 'import { a } from "./a.ts";\nexport const stage = a;');
  const module = pathToFileURL(`${root}/src/stage.ts`);
  const ran = { data: 0, attack: 0, cells: 0 };
  const data: Stage<Config, { label: string }> = {
    name: "data",
    description: "makes data",
    sources: [module],
    inputs: (config) => ({ label: config.label }),
    run: (context) => {
      ran.data++;
      context.progress("loading", 0.5);
      return Promise.resolve({ label: context.config.label });
    },
  };
  const attack: Stage<Config, { cells: number[] }> = {
    name: "attack",
    description: "one cell per value",
    needs: ["data"],
    sources: [module],
    inputs: (config) => ({ values: config.values, scale: config.scale }),
    run: async (context) => {
      ran.attack++;
      const { label } = context.get(data);
      const cells: number[] = [];
      for (const value of context.config.values) {
        cells.push(
          await context.memo("cell", { label, value, scale: context.config.scale }, () => {
            ran.cells++;
            return Promise.resolve(value * context.config.scale);
          }),
        );
      }
      return { cells };
    },
  };
  const stages = [data, attack] as const;
  const options = { cacheDir: `${root}/cache`, sourceRoot: root };
  return { root, ran, stages, options };
}

const CONFIG: Config = { values: [1, 2, 3], scale: 10, label: "x" };

Deno.test("runPipeline() takes every stage from the cache on a second run with nothing changed", async () => {
  const { ran, stages, options } = await setup();
  const first = await runPipeline(stages, CONFIG, options);
  const second = await runPipeline(stages, CONFIG, options);
  assert.deepEqual(second.results, first.results);
  assert.deepEqual(second.results.attack, { cells: [10, 20, 30] });
  assert.deepEqual(second.summary.map((s) => s.status), ["cached", "cached"]);
  assert.deepEqual(ran, { data: 1, attack: 1, cells: 3 });
});

Deno.test("runPipeline() recomputes only the cells of a changed setting", async () => {
  const { ran, stages, options } = await setup();
  await runPipeline(stages, CONFIG, options);
  const changed = await runPipeline(stages, { ...CONFIG, values: [1, 2, 4] }, options);
  assert.deepEqual(changed.summary.map((s) => s.status), ["cached", "ran"]);
  const attack = changed.summary[1];
  assert.deepEqual([attack?.cellsCached, attack?.cellsComputed], [2, 1]);
  assert.deepEqual(ran, { data: 1, attack: 2, cells: 4 });
});

Deno.test("runPipeline() reruns a stage whose upstream result changed", async () => {
  const { ran, stages, options } = await setup();
  await runPipeline(stages, CONFIG, options);
  const result = await runPipeline(stages, { ...CONFIG, label: "y" }, options);
  assert.deepEqual(result.summary.map((s) => s.status), ["ran", "ran"]);
  assert.equal(ran.cells, 6);
});

Deno.test("runPipeline() misses the cache after the code of a stage changes", async () => {
  const { root, ran, stages, options } = await setup();
  const first = await runPipeline(stages, CONFIG, options);
  await Deno.writeTextFile(`${root}/src/a.ts`, "export const a = 2;");
  const second = await runPipeline(stages, CONFIG, options);
  assert.notEqual(second.summary[0]?.codeVersion, first.summary[0]?.codeVersion);
  assert.deepEqual(second.summary.map((s) => s.status), ["ran", "ran"]);
  assert.equal(ran.cells, 6);
});

Deno.test("runPipeline() keeps the cache after an edit outside the stages' closure", async () => {
  const { root, ran, stages, options } = await setup();
  await runPipeline(stages, CONFIG, options);
  await Deno.writeTextFile(`${root}/src/unrelated.ts`, "export const u = 1;");
  const second = await runPipeline(stages, CONFIG, options);
  assert.deepEqual(second.summary.map((s) => s.status), ["cached", "cached"]);
  assert.deepEqual(ran, { data: 1, attack: 1, cells: 3 });
});

Deno.test("runPipeline() reruns a stage whose closure changed but reuses cells keyed by another closure", async () => {
  const root = await Deno.makeTempDir({ prefix: "avrobust-pipeline-" });
  await Deno.writeTextFile(`${root}/chart.ts`, "export const colour = 'red';");
  await Deno.writeTextFile(`${root}/cell.ts`, "export const factor = 10;");
  await Deno.writeTextFile(
    `${root}/stage.ts`,
    'import { colour } from "./chart.ts";\nimport { factor } from "./cell.ts";\nexport { colour, factor };',
  );
  let cells = 0;
  const stage: Stage<Config, number[]> = {
    name: "train",
    description: "cells keyed by cell.ts only",
    sources: [pathToFileURL(`${root}/stage.ts`)],
    inputs: (config) => ({ values: config.values }),
    run: async (context) => {
      const out: number[] = [];
      for (const value of context.config.values) {
        out.push(
          await context.memo("cell", { value }, () => Promise.resolve((cells++, value)), {
            sources: [pathToFileURL(`${root}/cell.ts`)],
          }),
        );
      }
      return out;
    },
  };
  const options = { cacheDir: `${root}/cache`, sourceRoot: root };
  const first = await runPipeline([stage], CONFIG, options);
  await Deno.writeTextFile(`${root}/chart.ts`, "export const colour = 'blue';");
  const second = await runPipeline([stage], CONFIG, options);
  assert.notEqual(second.summary[0]?.codeVersion, first.summary[0]?.codeVersion);
  assert.equal(second.summary[0]?.status, "ran");
  assert.deepEqual([second.summary[0]?.cellsCached, second.summary[0]?.cellsComputed], [3, 0]);
  await Deno.writeTextFile(`${root}/cell.ts`, "export const factor = 20;");
  const third = await runPipeline([stage], CONFIG, options);
  assert.deepEqual([third.summary[0]?.status, third.summary[0]?.cellsComputed], ["ran", 3]);
  assert.equal(cells, 6);
});

Deno.test("runPipeline() recovers from a truncated stage file by running the stage again", async () => {
  const { ran, stages, options } = await setup();
  const first = await runPipeline(stages, CONFIG, options);
  const key = first.summary[1]?.key ?? "";
  const path = `${options.cacheDir}/stage/attack/${key.slice(0, 2)}/${key}.json`;
  const text = await Deno.readTextFile(path);
  await Deno.writeTextFile(path, text.slice(0, Math.floor(text.length / 2)));
  const second = await runPipeline(stages, CONFIG, options);
  assert.deepEqual(second.summary.map((s) => s.status), ["cached", "ran"]);
  assert.deepEqual(second.results.attack, { cells: [10, 20, 30] });
  assert.equal(ran.attack, 2);
  assert.equal(ran.cells, 3, "the cells were still cached");
  JSON.parse(await Deno.readTextFile(path)); // rewritten whole
});

Deno.test("runPipeline() recovers from a truncated cell file by computing that cell again", async () => {
  const { ran, stages, options } = await setup();
  await runPipeline(stages, CONFIG, options);
  const cellDir = `${options.cacheDir}/cell/attack/cell`;
  const files: string[] = [];
  for await (const sub of Deno.readDir(cellDir)) {
    for await (const file of Deno.readDir(`${cellDir}/${sub.name}`)) {
      files.push(`${cellDir}/${sub.name}/${file.name}`);
    }
  }
  assert.equal(files.length, 3);
  await Deno.writeTextFile(files[0] as string, '{"key": "');
  const second = await runPipeline(stages, { ...CONFIG, scale: 10 }, { ...options, rerun: ["attack"] });
  assert.deepEqual(second.results.attack, { cells: [10, 20, 30] });
  assert.equal(ran.cells, 4);
});

Deno.test("runPipeline() stores nothing for a stage that fails and leaves no temporary files", async () => {
  const { root, stages, options } = await setup();
  const failing: Stage<Config, number> = {
    name: "boom",
    description: "fails",
    sources: ["src/stage.ts"],
    inputs: () => ({}),
    run: () => Promise.reject(new Error("boom")),
  };
  await assert.rejects(runPipeline([...stages, failing], CONFIG, options), /boom/);
  const leftovers: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) await walk(`${dir}/${entry.name}`);
      else leftovers.push(entry.name);
    }
  };
  await walk(`${root}/cache`);
  assert.ok(leftovers.every((name) => name.endsWith(".json")), leftovers.join(", "));
  await assert.rejects(Deno.stat(`${root}/cache/stage/boom`), Deno.errors.NotFound);
});

Deno.test("runPipeline() runs a stage again when an artifact of its cached result is missing", async () => {
  const { options } = await setup();
  let runs = 0;
  const withFile: Stage<Config, { path: string }> = {
    name: "files",
    description: "writes a file",
    sources: ["src/stage.ts"],
    inputs: () => ({}),
    run: async (context) => {
      runs++;
      await Deno.mkdir(`${context.cache.root}/${context.artifactDir}`, { recursive: true });
      const path = `${context.artifactDir}/weights.bin`;
      await Deno.writeFile(`${context.cache.root}/${path}`, new Uint8Array([1, 2, 3]));
      return { path };
    },
    artifacts: (result) => [result.path],
  };
  const first = await runPipeline([withFile], CONFIG, options);
  await runPipeline([withFile], CONFIG, options);
  assert.equal(runs, 1);
  await Deno.remove(`${options.cacheDir}/${(first.results.files as { path: string }).path}`);
  const third = await runPipeline([withFile], CONFIG, options);
  assert.equal(third.summary[0]?.status, "ran");
  assert.equal(runs, 2);
});

Deno.test("runPipeline() stops after the stage named by until", async () => {
  const { ran, stages, options } = await setup();
  const result = await runPipeline(stages, CONFIG, { ...options, until: "data" });
  assert.deepEqual(Object.keys(result.results), ["data"]);
  assert.equal(ran.attack, 0);
});

Deno.test("runPipeline() reports start, progress and end events in order", async () => {
  const { stages, options } = await setup();
  const events: string[] = [];
  await runPipeline(stages, CONFIG, { ...options, onEvent: (e) => events.push(`${e.type}:${e.stage}`) });
  assert.deepEqual(events, ["start:data", "progress:data", "end:data", "start:attack", "end:attack"]);
});

Deno.test("runPipeline() rejects a malformed registry", async (t) => {
  const { stages, options } = await setup();
  const [data, attack] = stages;
  await t.step("a duplicate name", async () => {
    await assert.rejects(runPipeline([data, data], CONFIG, options), {
      name: "TypeError",
      message: /listed twice/,
    });
  });
  await t.step("a need that is not an earlier stage", async () => {
    await assert.rejects(runPipeline([attack, data], CONFIG, options), {
      name: "TypeError",
      message: /needs 'data', which is not an earlier stage/,
    });
  });
  await t.step("an unknown until", async () => {
    await assert.rejects(runPipeline(stages, CONFIG, { ...options, until: "defense" }), {
      name: "RangeError",
      message: /unknown stage 'defense'/,
    });
  });
});

Deno.test("StageContext.get() refuses a stage that is not in needs", async () => {
  const { stages, options } = await setup();
  const [data] = stages;
  const sneaky: Stage<Config, string> = {
    name: "sneaky",
    description: "reads data without declaring it",
    sources: ["src/stage.ts"],
    inputs: () => ({}),
    run: (context) => Promise.resolve(context.get(data).label),
  };
  await assert.rejects(runPipeline([data, sneaky], CONFIG, options), {
    name: "TypeError",
    message: /add it to/,
  });
});
