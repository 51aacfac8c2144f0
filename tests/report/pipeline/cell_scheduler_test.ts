import assert from "node:assert/strict";
import { tryClaim } from "../../../lib/cache/claim.ts";
import {
  cellOwner,
  exclusively,
  MissingCellError,
  scheduleCell,
} from "../../../lib/report/pipeline/cell_scheduler.ts";

function memoryCell(key: string, claimDir: string, work = 10) {
  const state: { value?: number; computes: number } = { computes: 0 };
  return {
    state,
    cell: {
      label: `demo ${key}`,
      key,
      claimDir,
      read: () => Promise.resolve(state.value),
      compute: async () => {
        state.computes++;
        await new Promise((resolve) => setTimeout(resolve, work));
        state.value = 42;
        return 42;
      },
    },
  };
}

Deno.test("scheduleCell() computes a shared cell once however many callers ask together", async () => {
  const dir = await Deno.makeTempDir();
  const { cell, state } = memoryCell("ab".repeat(32), dir);
  const results = await Promise.all([1, 2, 3].map(() => scheduleCell(cell, { shared: true })));
  assert.deepEqual(results.map((r) => r.value), [42, 42, 42]);
  assert.equal(state.computes, 1);
  assert.deepEqual(results.map((r) => r.computed).filter(Boolean), [true]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("scheduleCell() not shared: two calls for one cell in one process compute it once", async () => {
  const { cell, state } = memoryCell("12".repeat(32), "/nonexistent");
  const results = await Promise.all([scheduleCell(cell), scheduleCell(cell)]);
  assert.deepEqual(results, [{ value: 42, computed: true }, { value: 42, computed: false }]);
  assert.equal(state.computes, 1);
});

Deno.test("scheduleCell() waits for a cell another process claimed, and reads its value", async () => {
  const dir = await Deno.makeTempDir();
  const { cell, state } = memoryCell("cd".repeat(32), dir);
  const other = await tryClaim(dir, cell.key); // "another process" holds it
  setTimeout(async () => {
    state.value = 7;
    await other?.release();
  }, 50);
  const result = await scheduleCell(cell, { shared: true, claims: { pollMs: 5 } });
  assert.deepEqual(result, { value: 7, computed: false });
  assert.equal(state.computes, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("scheduleCell() on a shard leaves another shard's cell to it, then takes it when nobody claims it", async () => {
  const dir = await Deno.makeTempDir();
  const key = "00000001" + "0".repeat(56); // owned by shard 1 of 2
  assert.equal(cellOwner(key, 2), 1);
  const { cell } = memoryCell(key, dir);
  const started = Date.now();
  const result = await scheduleCell(cell, {
    shard: { index: 0, count: 2, stealAfterMs: 60 },
    claims: { pollMs: 5 },
  });
  assert.deepEqual(result, { value: 42, computed: true });
  assert.ok(Date.now() - started >= 60, "waited for the owner first");
  // Its own cell: at once.
  const own = memoryCell("0".repeat(64), dir);
  assert.deepEqual(await scheduleCell(own.cell, { shard: { index: 0, count: 2 } }), {
    value: 42,
    computed: true,
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("scheduleCell() with cachedOnly names the missing cell and computes nothing", async () => {
  const { cell, state } = memoryCell("ef".repeat(32), "/nonexistent");
  await assert.rejects(
    () => scheduleCell(cell, { cachedOnly: true }),
    (error: unknown) =>
      error instanceof MissingCellError && /cell demo efef.* is missing/.test(error.message) &&
      error.cell.startsWith("cell demo"),
  );
  assert.equal(state.computes, 0);
});

Deno.test("cellOwner() spreads keys over the shards", () => {
  const counts = [0, 0, 0];
  for (let i = 0; i < 300; i++) {
    counts[cellOwner(i.toString(16).padStart(8, "0").split("").reverse().join(""), 3)]!++;
  }
  assert.ok(counts.every((c) => c > 60), `counts ${counts}`);
});

Deno.test("exclusively() runs one holder at a time across callers", async () => {
  const dir = await Deno.makeTempDir();
  let inside = 0, most = 0;
  const work = async () => {
    most = Math.max(most, ++inside);
    await new Promise((resolve) => setTimeout(resolve, 20));
    inside--;
  };
  await Promise.all(
    [1, 2, 3].map(() => exclusively(dir, "data-x", work, { shared: true, claims: { pollMs: 5 } })),
  );
  assert.equal(most, 1);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("scheduleCell(): among cells waiting in one process, the dearest computes first", async () => {
  const order: string[] = [];
  const cell = (label: string, priority?: number) => {
    let stored: string | undefined;
    return {
      label,
      key: label.padEnd(8, "0"),
      claimDir: "/tmp",
      ...(priority === undefined ? {} : { priority }),
      read: () => Promise.resolve(stored),
      compute: async () => {
        order.push(label);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return (stored = label);
      },
    };
  };
  const values = await Promise.all(
    [cell("a", 1), cell("b", 5), cell("c"), cell("d", 3), cell("e", 5)].map((c) => scheduleCell(c)),
  );
  assert.deepEqual(values.map((v) => v.value), ["a", "b", "c", "d", "e"]);
  // Dearest first, ties in order of arrival, a cell without an estimate last.
  assert.deepEqual(order, ["b", "e", "d", "a", "c"]);
});

Deno.test("exclusively(): a process whose first choice another holds takes the next one meanwhile", async () => {
  const dir = await Deno.makeTempDir();
  const other = await tryClaim(dir, "data-a"); // another process builds dataset a
  assert.ok(other);
  const order: string[] = [];
  const work = (name: string) => async () => {
    order.push(name);
    await new Promise((resolve) => setTimeout(resolve, 10));
    return name;
  };
  const sharing = { shared: true, claims: { pollMs: 5 } };
  const a = exclusively(dir, "data-a", work("a"), sharing);
  const b = exclusively(dir, "data-b", work("b"), sharing);
  assert.equal(await b, "b");
  assert.deepEqual(order, ["b"], "a waits for the other process, b does not wait for a");
  await other.release();
  assert.equal(await a, "a");
  assert.deepEqual(order, ["b", "a"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("exclusively() in a cache-only run refuses work that would build, naming it", async () => {
  const dir = await Deno.makeTempDir();
  let runs = 0;
  const work = () => Promise.resolve(++runs);
  await assert.rejects(
    exclusively(dir, "data-x", work, { cachedOnly: true }, { isCached: () => Promise.resolve(false) }),
    (error) => error instanceof MissingCellError && /data-x \(not built yet\)/.test(error.message),
  );
  assert.equal(runs, 0);
  const built = { isCached: () => Promise.resolve(true) };
  assert.equal(await exclusively(dir, "data-x", work, { cachedOnly: true }, built), 1);
  await Deno.remove(dir, { recursive: true });
});
