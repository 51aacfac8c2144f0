/**
 * How a pipeline's cells are shared between processes: workers on one machine (`--jobs`), shards on a
 * cluster (`--shard i/n`) over one cache folder, or a render from the cache alone (`--cached-only`).
 *
 * One process computes one cell at a time (the tensor backend is single-threaded); stages issue their
 * independent cells together, so while one process computes a cell another can take the next. Shared
 * cells are claimed (claim files under `claims/` of the cache): a cell is computed once, by whoever holds
 * its claim, and read by everyone else. Every cell is seeded by its own inputs, so who computed it never
 * changes its value.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { type ClaimOptions, tryClaim, waitForClaim } from "../../cache/mod.ts";

/** How this process shares cells with others. @default not shared (one process, no claims) */
export interface CellSharing {
  /** Claim cells in the cache's `claims/` folder, so that processes sharing the cache split the work. */
  shared?: boolean;
  /**
   * This shard's part, `index` in [0, count): it computes the cells it owns (a stable partition: a batch
   * of cells issued together is split by estimated cost, see `partitionCells`; a cell issued alone goes by
   * its key, {@linkcode cellOwner}) and waits for the others'; a cell nobody has claimed after
   * `stealAfterMs` it computes itself, so that shards that cannot all run at once still finish. Implies
   * `shared`.
   */
  shard?: { index: number; count: number; stealAfterMs?: number };
  /** Never compute: a missing cell is a {@linkcode MissingCellError}. */
  cachedOnly?: boolean;
  /** Claim timings (tests shorten them). */
  claims?: ClaimOptions;
}

/** A cell the cache does not hold, met with `cachedOnly`. */
export class MissingCellError extends Error {
  /** What the missing cell is (stage, namespace, label) and its key. */
  readonly cell: string;
  constructor(cell: string) {
    super(
      `Cannot render from the cache only: ${cell} is missing. Run every shard to the end first ` +
        "(or drop --cached-only to compute it here)",
    );
    this.name = "MissingCellError";
    this.cell = cell;
  }
}

/**
 * The shard that owns a cell issued alone (outside a batch): the first 32 bits of its (hex) key modulo
 * the shard count.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(cellOwner("0000000a" + "0".repeat(56), 4), 2);
 * ```
 */
export function cellOwner(key: string, count: number): number {
  return Number.parseInt(key.slice(0, 8), 16) % count;
}

const computing = new AsyncLocalStorage<boolean>();
const waiting: { priority: number; order: number; start: () => void }[] = [];
let busy = false;
let arrivals = 0;

/** Starts the dearest waiting computation (the earliest among equals), if none runs. */
function startNext(): void {
  if (busy || waiting.length === 0) return;
  let pick = 0;
  waiting.forEach((task, i) => {
    const best = waiting[pick] as (typeof waiting)[number];
    if (task.priority > best.priority || (task.priority === best.priority && task.order < best.order)) {
      pick = i;
    }
  });
  const [task] = waiting.splice(pick, 1);
  busy = true;
  task?.start();
}

/**
 * Runs `work` when no other cell of this process computes; among waiting cells, the one with the highest
 * `priority` (its estimated cost) first, then in order of arrival. Dearest-first keeps a long cell from
 * being left for last while the other processes idle. A nested call runs at once.
 */
function oneAtATime<T>(work: () => Promise<T>, priority = 0): Promise<T> {
  if (computing.getStore()) return work();
  return new Promise<T>((resolve, reject) => {
    waiting.push({
      priority,
      order: arrivals++,
      start: () => {
        computing.run(true, work).then(resolve, reject).finally(() => {
          busy = false;
          startNext();
        });
      },
    });
    // Let the cells issued together arrive before the first pick.
    setTimeout(startNext, 0);
  });
}

/** A cell as the scheduler sees it. */
export interface ScheduledCell<T> {
  /** For messages: `stage/namespace label (key…)`. */
  label: string;
  /** The cell key (hex). */
  key: string;
  /** Claim folder of the cell's stage. */
  claimDir: string;
  /**
   * The shard that owns the cell when the run is sharded (from its batch's partition).
   * @default {@linkcode cellOwner} of its key
   */
  owner?: number;
  /**
   * Estimated cost (from its batch): a process with several cells waiting computes the dearest first.
   * @default 0
   */
  priority?: number;
  /** The stored, still valid value, or undefined. */
  read: () => Promise<T | undefined>;
  /** Computes the value and stores it (before returning, so that waiters find it). */
  compute: () => Promise<T>;
}

/**
 * Gets one cell: from the cache, or computed here, or (when shared) from whichever process claimed it.
 *
 * @param cell The cell's label, key, claim folder, reader and computer.
 * @param sharing How this process shares cells.
 * @returns The value, and whether this process computed it.
 * @throws {MissingCellError} With `cachedOnly`, when the cache does not hold the cell.
 *
 * @example Not shared: computed once, then read
 * ```ts
 * import assert from "node:assert/strict";
 * let stored: number | undefined;
 * const cell = { label: "demo", key: "00", claimDir: "/tmp", read: async () => stored,
 *   compute: async () => (stored = 42) };
 * assert.deepEqual(await scheduleCell(cell), { value: 42, computed: true });
 * assert.deepEqual(await scheduleCell(cell), { value: 42, computed: false });
 * ```
 */
export async function scheduleCell<T>(
  cell: ScheduledCell<T>,
  sharing: CellSharing = {},
): Promise<{ value: T; computed: boolean }> {
  const found = await cell.read();
  if (found !== undefined) return { value: found, computed: false };
  if (sharing.cachedOnly) throw new MissingCellError(`cell ${cell.label} (key ${cell.key.slice(0, 12)}…)`);
  const shared = sharing.shared === true || sharing.shard !== undefined;
  if (!shared) {
    // Another call for the same cell may have computed it while this one waited its turn.
    return await oneAtATime(async () => {
      const again = await cell.read();
      return again !== undefined
        ? { value: again, computed: false }
        : { value: await cell.compute(), computed: true };
    }, cell.priority);
  }
  const name = cell.key;
  const shard = sharing.shard;
  if (shard && (cell.owner ?? cellOwner(cell.key, shard.count)) !== shard.index) {
    // Another shard's cell: wait for its owner, unless nobody claims it in time.
    const deadline = Date.now() + (shard.stealAfterMs ?? 600_000);
    const poll = sharing.claims?.pollMs ?? 500;
    while (Date.now() < deadline) {
      const value = await cell.read();
      if (value !== undefined) return { value, computed: false };
      await new Promise((resolve) => setTimeout(resolve, poll));
    }
  }
  for (;;) {
    const ready = await cell.read();
    if (ready !== undefined) return { value: ready, computed: false };
    const outcome = await oneAtATime(async () => {
      const again = await cell.read();
      if (again !== undefined) return { value: again, computed: false };
      const claim = await tryClaim(cell.claimDir, name, sharing.claims);
      if (claim === null) return null;
      try {
        const stored = await cell.read();
        if (stored !== undefined) return { value: stored, computed: false };
        return { value: await cell.compute(), computed: true };
      } finally {
        await claim.release();
      }
    }, cell.priority);
    if (outcome !== null) return outcome;
    // Someone else computes it: wait for the value (or for a dead owner's claim to go stale).
    await waitForClaim(cell.claimDir, name, async () => (await cell.read()) !== undefined, sharing.claims);
  }
}

/** Options of {@linkcode exclusively}. */
export interface ExclusivelyOptions {
  /**
   * Whether `work` would only read what is already stored (e.g. the dataset is built). In a cache-only run
   * (`cachedOnly`), `false` is a {@linkcode MissingCellError} instead of running `work`. @default always
   */
  isCached?: () => Promise<boolean>;
}

/**
 * Runs `work` holding the cross-process claim `name` (waiting while another process holds it), e.g. to
 * build a dataset once when several processes open it together. Like a cell, it runs when no other cell
 * of this process computes, so that a process whose first choice is claimed by another takes the next
 * one (two processes build two datasets side by side). Not shared: runs `work` in turn, unclaimed.
 *
 * @throws {MissingCellError} With `cachedOnly`, when `options.isCached` says the work would build.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * assert.equal(await exclusively(dir, "data-x", async () => 7, { shared: true }), 7);
 * ```
 */
export async function exclusively<T>(
  claimDir: string,
  name: string,
  work: () => Promise<T>,
  sharing: CellSharing = {},
  options: ExclusivelyOptions = {},
): Promise<T> {
  if (sharing.cachedOnly && options.isCached && !(await options.isCached())) {
    throw new MissingCellError(`${name} (not built yet)`);
  }
  if (sharing.shared !== true && sharing.shard === undefined) return await oneAtATime(work);
  for (;;) {
    const outcome = await oneAtATime(async () => {
      const claim = await tryClaim(claimDir, name, sharing.claims);
      if (claim === null) return null;
      try {
        return { value: await work() };
      } finally {
        await claim.release();
      }
    });
    if (outcome !== null) return outcome.value;
    await waitForClaim(claimDir, name, () => Promise.resolve(false), sharing.claims);
  }
}
