import assert from "node:assert/strict";
import { cellBatch, type CellCost, partitionCells } from "../../../lib/report/pipeline/cell_partition.ts";

/** A seeded pseudo-random stream in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function randomCells(seed: number, length: number): CellCost[] {
  const next = random(seed);
  return Array.from({ length }, (_, i) => ({
    namespace: next() < 0.5 ? "model" : "cell",
    label: `cell ${i}`,
    // Costs over three orders of magnitude, as training, attack and ablation cells are.
    cost: Math.round(10 ** (3 * next()) * 100) / 100,
  }));
}

function loads(cells: readonly CellCost[], owners: readonly number[], count: number): number[] {
  const out = new Array<number>(count).fill(0);
  cells.forEach((cell, i) => {
    const owner = owners[i] ?? -1;
    out[owner] = (out[owner] ?? Number.NaN) + cell.cost;
  });
  return out;
}

/** The best possible largest load, by trying every assignment (small batches only). */
function optimum(costs: readonly number[], count: number): number {
  let best = Infinity;
  const load = new Array<number>(count).fill(0);
  const place = (i: number) => {
    if (i === costs.length) {
      best = Math.min(best, Math.max(...load));
      return;
    }
    for (let shard = 0; shard < count; shard++) {
      load[shard] = (load[shard] ?? 0) + (costs[i] ?? 0);
      if ((load[shard] ?? 0) < best) place(i + 1);
      load[shard] = (load[shard] ?? 0) - (costs[i] ?? 0);
    }
  };
  place(0);
  return best;
}

Deno.test("partitionCells() gives every cell exactly one owner, the same whatever the order of issue", () => {
  for (const count of [1, 2, 3, 8]) {
    const cells = randomCells(count, 30);
    const owners = partitionCells(cells, count);
    assert.equal(owners.length, cells.length);
    assert.ok(owners.every((o) => Number.isInteger(o) && o >= 0 && o < count));
    const ownerOf = new Map(cells.map((cell, i) => [cell.label, owners[i]]));
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      const shuffled = cells.map((cell) => ({ cell, at: next() })).sort((a, b) => a.at - b.at).map((x) =>
        x.cell
      );
      const again = partitionCells(shuffled, count);
      assert.deepEqual(
        again,
        shuffled.map((cell) => ownerOf.get(cell.label)),
        `count ${count}, shuffle ${seed}`,
      );
    }
    assert.deepEqual(partitionCells(cells, count), owners, "stable across calls");
  }
});

Deno.test("partitionCells() is balanced: within total/n + (1 - 1/n)·max cost, and within 4/3 of the optimum", () => {
  for (let seed = 0; seed < 40; seed++) {
    const count = 2 + (seed % 4);
    const cells = randomCells(seed, 5 + (seed % 30));
    const load = loads(cells, partitionCells(cells, count), count);
    const total = cells.reduce((sum, c) => sum + c.cost, 0);
    const largest = Math.max(...cells.map((c) => c.cost));
    assert.ok(Math.max(...load) <= total / count + (1 - 1 / count) * largest + 1e-9, `seed ${seed}`);
    assert.ok(Math.abs(load.reduce((a, b) => a + b, 0) - total) < 1e-6, "every cost counted once");
  }
  for (let seed = 0; seed < 20; seed++) {
    const count = 2 + (seed % 2);
    const cells = randomCells(100 + seed, 9);
    const best = optimum(cells.map((c) => c.cost), count);
    const largest = Math.max(...loads(cells, partitionCells(cells, count), count));
    assert.ok(largest <= (4 / 3) * best + 1e-9, `seed ${seed}: ${largest} against the optimum ${best}`);
  }
});

Deno.test("partitionCells() puts the dear cells apart, and spreads one-cell batches over the shards", () => {
  const cells = [
    { namespace: "model", label: "train a", cost: 50 },
    { namespace: "model", label: "train b", cost: 50 },
    ...Array.from({ length: 10 }, (_, i) => ({ namespace: "cell", label: `attack ${i}`, cost: 10 })),
  ];
  const owners = partitionCells(cells, 2);
  assert.notEqual(owners[0], owners[1]);
  assert.deepEqual(loads(cells, owners, 2), [100, 100]);
  // One cell alone goes to a shard picked by its name, not always to shard 0.
  const alone = Array.from(
    { length: 40 },
    (_, i) => partitionCells([{ namespace: "cell", label: `${i}`, cost: 1 }], 4)[0],
  );
  assert.deepEqual(new Set(alone).size, 4);
});

Deno.test("partitionCells() counts a cell issued twice once, and checks its arguments", () => {
  const cell = { namespace: "cell", label: "a", cost: 5 };
  const owners = partitionCells([cell, { namespace: "cell", label: "b", cost: 5 }, cell], 2);
  assert.equal(owners[0], owners[2]);
  assert.notEqual(owners[0], owners[1]);
  assert.throws(() => partitionCells([cell], 0), RangeError);
  assert.throws(() => partitionCells([cell], 1.5), RangeError);
  assert.throws(
    () => partitionCells([{ namespace: "cell", label: "x", cost: Number.NaN }], 2),
    /the cost of cell 'x' must be a finite number >= 0/,
  );
  assert.throws(() => partitionCells([{ namespace: "cell", label: "x", cost: -1 }], 2), RangeError);
  assert.deepEqual(partitionCells([], 3), []);
});

Deno.test("cellBatch() tells each cell's owner by namespace and label", () => {
  const batch = cellBatch([
    { namespace: "model", label: "av-digits audio", cost: 1 },
    { namespace: "examples", label: "av-digits audio", cost: 9 },
  ], 2);
  const owners = [batch.ownerOf("model", "av-digits audio"), batch.ownerOf("examples", "av-digits audio")];
  assert.deepEqual([...owners].sort(), [0, 1]);
  assert.equal(batch.ownerOf("cell", "av-digits audio"), undefined);
});
