/**
 * How shards split the cells a stage issues together: a stable partition weighted by estimated cost.
 *
 * @module
 */

/** A cell of a batch as the partition sees it: its name in the batch and its estimated cost. */
export interface CellCost {
  /** The namespace the cell is issued under (`context.memo`'s first argument), e.g. `model`. */
  namespace: string;
  /** The cell's label (`context.memo`'s `label` option): with the namespace, it names the cell in its batch. */
  label: string;
  /** Estimated cost, in any unit shared by the batch (finite, ≥ 0). */
  cost: number;
}

/**
 * The cells a stage issues together, partitioned between the run's shards (from
 * `StageContext.cellBatch`, for `context.memo`'s `batch` option).
 */
export interface CellBatch {
  /**
   * The shard that owns a cell of the batch, or undefined for a cell it does not hold.
   *
   * @param namespace The cell's namespace.
   * @param label The cell's label.
   */
  ownerOf(namespace: string, label: string): number | undefined;
  /**
   * The estimated cost of a cell of the batch, or undefined for a cell it does not hold.
   *
   * @param namespace The cell's namespace.
   * @param label The cell's label.
   */
  costOf(namespace: string, label: string): number | undefined;
}

/** The name of a cell in its batch. */
function cellId(cell: Pick<CellCost, "namespace" | "label">): string {
  return JSON.stringify([cell.namespace, cell.label]);
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * Splits a batch of cells between `count` shards by estimated cost: longest processing time first (LPT),
 * i.e. the cells sorted by cost (dearest first, then by name) each go to the least-loaded shard so far;
 * among equally loaded shards, the first at or after a rotation taken from a hash of the batch's cell
 * names, so that small batches (one cell, say) do not all land on shard 0. The result depends only on the
 * set of (namespace, label, cost) and `count`, never on their order or on what a cache holds, so every
 * shard computes the same owners without talking to the others. Its largest load is at most
 * `total / count + (1 − 1 / count) · largest cost`, and within 4/3 of the best possible split. Cells that
 * share a namespace and label count once (the same cell issued twice), at their highest cost.
 *
 * @param cells The batch.
 * @param count The number of shards (≥ 1).
 * @returns Each cell's shard in [0, count), in the order of `cells`.
 * @throws {RangeError} If `count` is not a positive integer or a cost is negative or not finite.
 *
 * @example Three cells on two shards: the dear one alone
 * ```ts
 * import assert from "node:assert/strict";
 * const owners = partitionCells([
 *   { namespace: "model", label: "a", cost: 1 },
 *   { namespace: "model", label: "b", cost: 2 },
 *   { namespace: "model", label: "c", cost: 1 },
 * ], 2);
 * assert.equal(owners[0], owners[2]);
 * assert.notEqual(owners[0], owners[1]);
 * ```
 */
export function partitionCells(cells: readonly CellCost[], count: number): number[] {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(`Cannot partition cells: count must be an integer >= 1, current value is ${count}`);
  }
  const costs = new Map<string, number>();
  for (const cell of cells) {
    if (!(Number.isFinite(cell.cost) && cell.cost >= 0)) {
      throw new RangeError(
        `Cannot partition cells: the cost of ${cell.namespace} '${cell.label}' must be a finite number >= 0, ` +
          `current value is ${cell.cost}`,
      );
    }
    const id = cellId(cell);
    costs.set(id, Math.max(costs.get(id) ?? 0, cell.cost));
  }
  const byName = [...costs.keys()].sort();
  const rotation = fnv1a(byName.join("\n")) % count;
  const order = [...byName].sort((a, b) => (costs.get(b) ?? 0) - (costs.get(a) ?? 0) || (a < b ? -1 : 1));
  const loads = new Array<number>(count).fill(0);
  const owners = new Map<string, number>();
  for (const id of order) {
    let best = rotation;
    for (let step = 1; step < count; step++) {
      const shard = (rotation + step) % count;
      if ((loads[shard] ?? 0) < (loads[best] ?? 0)) best = shard;
    }
    owners.set(id, best);
    loads[best] = (loads[best] ?? 0) + (costs.get(id) ?? 0);
  }
  return cells.map((cell) => owners.get(cellId(cell)) ?? 0);
}

/**
 * A {@linkcode CellBatch} of `cells` split between `count` shards by {@linkcode partitionCells}.
 *
 * @param cells The cells issued together, with their estimated costs.
 * @param count The number of shards (1 when the run is not sharded).
 * @returns The batch.
 * @throws {RangeError} As {@linkcode partitionCells}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const batch = cellBatch([{ namespace: "model", label: "a", cost: 3 }], 1);
 * assert.equal(batch.ownerOf("model", "a"), 0);
 * assert.equal(batch.ownerOf("model", "b"), undefined);
 * ```
 */
export function cellBatch(cells: readonly CellCost[], count: number): CellBatch {
  const owners = partitionCells(cells, count);
  const byId = new Map(cells.map((cell, i) => [cellId(cell), owners[i] ?? 0]));
  const costs = new Map(cells.map((cell) => [cellId(cell), cell.cost]));
  return {
    ownerOf: (namespace, label) => byId.get(cellId({ namespace, label })),
    costOf: (namespace, label) => costs.get(cellId({ namespace, label })),
  };
}
