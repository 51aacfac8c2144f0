/**
 * Runs an ordered registry of cached stages.
 *
 * @module
 */
import { batchOwner, shareMessage } from "./_cell_batch.ts";
import { cellBatch } from "./cell_partition.ts";
import { type CellSharing, exclusively, type ExclusivelyOptions, scheduleCell } from "./cell_scheduler.ts";
import { hashValue } from "../../cache/hash.ts";
import { openCache } from "../../cache/store.ts";
import { sourceHash } from "../../cache/source_hash.ts";
import type {
  MemoOptions,
  PipelineEvent,
  PipelineResult,
  Stage,
  StageContext,
  StageSummary,
} from "../types.ts";

/** Options of {@linkcode runPipeline}. */
export interface RunPipelineOptions {
  /** Folder of the content-addressed cache (shared by the report task and the notebooks). */
  cacheDir: string;
  /** Project root for {@linkcode sourceHash} of the stages' `sources`. @default the folder that holds `lib/` */
  sourceRoot?: string;
  /** Stop after this stage (the notebooks run a prefix of the pipeline). @default the last stage */
  until?: string;
  /** Stages to run even on a stage-level cache hit (their cells still come from the cache). @default [] */
  rerun?: readonly string[];
  /** Receives start, progress and end events. @default no output */
  onEvent?: (event: PipelineEvent) => void;
  /** How cells are shared with other processes (workers, shards) or read only. @default not shared */
  sharing?: CellSharing;
  /**
   * Store each stage's result (cells are always stored). Worker processes leave stage results to the
   * process that started them, so that its summary says which stages ran in this invocation. @default true
   */
  storeStages?: boolean;
  /**
   * When this run began (ms since the epoch), for a process that shares its cells with worker processes
   * it started: a cell it reads from the cache but that was stored at or after this time was computed in
   * this run (by a worker) and counts as computed, not cached. @default only cells computed by this
   * process count as computed
   */
  computedSince?: number;
  /**
   * Start each stage as soon as the stages it `needs` have ended, rather than in registry order, so that
   * a process with nothing left to compute in one stage takes cells of another (e.g. `localize`, which
   * needs only `data`, beside `train` and `attack`). Cells are computed one at a time per process either
   * way, dearest first, and results do not change; stages' seconds then overlap.
   * @default true when cells are shared (workers, shards), else false
   */
  concurrentStages?: boolean;
}

interface StoredStage {
  result: unknown;
  codeVersion: string;
}

function checkRegistry<C>(stages: readonly Stage<C, unknown>[], until: string | undefined): number {
  const seen = new Set<string>();
  for (const stage of stages) {
    if (seen.has(stage.name)) {
      throw new TypeError(`Cannot run the pipeline: stage '${stage.name}' is listed twice`);
    }
    for (const need of stage.needs ?? []) {
      if (!seen.has(need)) {
        throw new TypeError(
          `Cannot run the pipeline: stage '${stage.name}' needs '${need}', which is not an earlier stage`,
        );
      }
    }
    seen.add(stage.name);
  }
  if (until === undefined) return stages.length;
  const last = stages.findIndex((stage) => stage.name === until);
  if (last < 0) {
    throw new RangeError(
      `Cannot run the pipeline: unknown stage '${until}', known: ${stages.map((s) => s.name).join(", ")}`,
    );
  }
  return last + 1;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Whether the file at `path` was written at or after `since` (never, without `since`). */
async function storedSince(path: string, since: number | undefined): Promise<boolean> {
  if (since === undefined) return false;
  const info = await Deno.stat(path).catch(() => null);
  return (info?.mtime?.getTime() ?? -Infinity) >= since;
}

/**
 * Runs `stages` in order (or, with `concurrentStages`, each as soon as the stages it needs have ended). Each stage's key is the hash of its name, `inputs(config)`, the
 * {@linkcode sourceHash} of its `sources` (the import closure of its module) and the results of the
 * stages it `needs`; a stored result under that key (with its artifact files present and passing the
 * stage's `verify`) is used instead of running the stage. Every stored result and cell is read back only
 * if it matches its content hash; one that does not is recomputed and rewritten, with a `progress` event
 * saying so. Inside a stage, `context.memo` caches cells under their inputs and the source hash
 * of the stage (or of the modules given as `sources`), so a changed setting recomputes only the cells it
 * touches; `context.cellBatch` declares cells issued together with their estimated costs, which a
 * sharded run splits by cost (`partitionCells`). The summary counts each distinct cell of a stage once:
 * computed when it was computed in this run (see `computedSince` for cells computed by worker
 * processes), else cached.
 *
 * @param stages The ordered registry.
 * @param config The resolved config every stage reads.
 * @param options Cache folder, prefix, progress.
 * @returns Results by stage, and a summary row per stage.
 * @throws {TypeError} If two stages share a name or a stage needs a later one.
 * @throws {RangeError} If `until` names no stage.
 *
 * @example Two stages, run twice
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Stage } from "../types.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${root}/double.ts`, "export const factor = 2;");
 * const double: Stage<{ n: number }, number> = {
 *   name: "double", description: "doubles n", sources: ["double.ts"],
 *   inputs: (config) => ({ n: config.n }),
 *   run: async (context) => context.config.n * 2,
 * };
 * const options = { cacheDir: `${root}/cache`, sourceRoot: root };
 * const first = await runPipeline([double], { n: 2 }, options);
 * const second = await runPipeline([double], { n: 2 }, options);
 * assert.equal(second.results.double, 4);
 * assert.deepEqual([first.summary[0]?.status, second.summary[0]?.status], ["ran", "cached"]);
 * ```
 */
export async function runPipeline<C>(
  stages: readonly Stage<C, unknown>[],
  config: C,
  options: RunPipelineOptions,
): Promise<PipelineResult> {
  const { cacheDir, sourceRoot, until, rerun = [], onEvent = () => {}, sharing = {}, storeStages = true } =
    options;
  const { computedSince } = options;
  const concurrent = options.concurrentStages ?? (sharing.shared === true || sharing.shard !== undefined);
  const started = performance.now();
  const count = checkRegistry(stages, until);
  let current = "";
  // A damaged entry is reported under the stage it belongs to (`stage/<name>`, `cell/<name>/...`): with
  // stages side by side, the stage that started last is not necessarily the one that read it.
  const owner = (namespace: string) => {
    const [kind, name] = namespace.split("/");
    return (kind === "stage" || kind === "cell") && stages.some((s) => s.name === name)
      ? name as string
      : current;
  };
  const cache = openCache(cacheDir, {
    onWarning: (message, namespace) => onEvent({ type: "progress", stage: owner(namespace), message }),
  });
  const results: Record<string, unknown> = {};
  const resultHashes: Record<string, string> = {};
  const resources = new Map<string, Promise<unknown>>();
  const versionOf = (sources: readonly (string | URL)[]) =>
    sourceHash(sources, sourceRoot === undefined ? {} : { root: sourceRoot });

  const rows: StageSummary[] = [];
  const runStage = async (index: number): Promise<void> => {
    const stage = stages[index] as Stage<C, unknown>;
    const stageStart = performance.now();
    current = stage.name;
    onEvent({ type: "start", stage: stage.name, index, total: count, description: stage.description });
    const inputs = stage.inputs(config);
    const version = await versionOf(stage.sources);
    const needs = Object.fromEntries((stage.needs ?? []).map((name) => [name, resultHashes[name]]));
    const key = await hashValue({ stage: stage.name, inputs, codeVersion: version, needs });
    const namespace = `stage/${stage.name}`;
    let stored = rerun.includes(stage.name) ? undefined : await cache.get<StoredStage>(namespace, key);
    if (stored !== undefined && stage.artifacts) {
      for (const path of stage.artifacts(stored.result)) {
        if (!(await exists(`${cacheDir}/${path}`))) {
          stored = undefined;
          break;
        }
      }
    }
    const problem = stored !== undefined && stage.verify
      ? await stage.verify(stored.result, cacheDir)
      : undefined;
    if (problem !== undefined) {
      onEvent({ type: "progress", stage: stage.name, message: `cached result ${problem}; running again` });
      stored = undefined;
    }
    // Each distinct cell counts once: computed if it was computed in this run (here or, with
    // `computedSince`, by a worker), else cached.
    const cells = new Map<string, boolean>();
    const countCell = (cell: string, computed: boolean) =>
      cells.set(cell, computed || cells.get(cell) === true);
    let result: unknown;
    if (stored !== undefined) {
      result = stored.result;
    } else {
      const context: StageContext<C> = {
        config,
        inputs,
        key,
        cache,
        artifactDir: `artifacts/${stage.name}`,
        get<R>(needed: Stage<C, R>): R {
          if (!(stage.needs ?? []).includes(needed.name)) {
            throw new TypeError(
              `Cannot read stage '${needed.name}' from stage '${stage.name}': add it to '${stage.name}'.needs`,
            );
          }
          return results[needed.name] as R;
        },
        codeVersion: version,
        async memo<T>(
          cellNamespace: string,
          cellInputs: unknown,
          compute: (cellKey: string) => Promise<T>,
          memoOptions: MemoOptions<T> = {},
        ): Promise<T> {
          const space = `cell/${stage.name}/${cellNamespace}`;
          const cellVersion = memoOptions.sources === undefined
            ? version
            : await versionOf(memoOptions.sources);
          const label = `${space}${memoOptions.label ? ` ${memoOptions.label}` : ""}`;
          const owner = batchOwner(label, cellNamespace, memoOptions);
          const priority = memoOptions.batch?.costOf(cellNamespace, memoOptions.label ?? "");
          const cellKey = await hashValue({ inputs: cellInputs, codeVersion: cellVersion });
          const { value, computed } = await scheduleCell<T>({
            label,
            key: cellKey,
            claimDir: `${cacheDir}/claims`,
            ...(owner === undefined ? {} : { owner }),
            ...(priority === undefined ? {} : { priority }),
            read: async () => {
              const cached = await cache.get<T>(space, cellKey);
              if (cached === undefined) return undefined;
              return memoOptions.valid === undefined || (await memoOptions.valid(cached))
                ? cached
                : undefined;
            },
            compute: async () => {
              const fresh = await compute(cellKey);
              await cache.put(space, cellKey, fresh);
              return JSON.parse(JSON.stringify(fresh ?? null));
            },
          }, sharing);
          countCell(
            `${space}/${cellKey}`,
            computed || (await storedSince(cache.pathOf(space, cellKey), computedSince)),
          );
          return value;
        },
        cellBatch(cells) {
          const batch = cellBatch(cells, sharing.shard?.count ?? 1);
          if (sharing.shard !== undefined && cells.length > 0) {
            const { index, count } = sharing.shard;
            onEvent({
              type: "progress",
              stage: stage.name,
              message: shareMessage(cells, batch, index, count),
            });
          }
          return batch;
        },
        exclusive<T>(name: string, work: () => Promise<T>, options?: ExclusivelyOptions): Promise<T> {
          return exclusively(`${cacheDir}/claims`, name, work, sharing, options);
        },
        resource<T>(name: string, open: () => Promise<T>): Promise<T> {
          let value = resources.get(name);
          if (value === undefined) {
            value = open();
            resources.set(name, value);
          }
          return value as Promise<T>;
        },
        progress(message: string, fraction?: number) {
          onEvent({
            type: "progress",
            stage: stage.name,
            message,
            ...(fraction === undefined ? {} : { fraction }),
          });
        },
      };
      result = await stage.run(context);
      // Round-trip through JSON so that a fresh result equals what a later cache hit returns.
      result = JSON.parse(JSON.stringify(result ?? null));
      if (storeStages) {
        await cache.put(namespace, key, { result, codeVersion: version } satisfies StoredStage);
      }
    }
    results[stage.name] = result;
    resultHashes[stage.name] = await hashValue(result);
    const row: StageSummary = {
      name: stage.name,
      status: stored !== undefined ? "cached" : "ran",
      key,
      codeVersion: version,
      seconds: (performance.now() - stageStart) / 1000,
      cellsCached: [...cells.values()].filter((computed) => !computed).length,
      cellsComputed: [...cells.values()].filter((computed) => computed).length,
    };
    rows[index] = row;
    onEvent({ type: "end", stage: stage.name, summary: row });
  };
  if (concurrent) {
    // Each stage starts once the stages it needs have ended; the first failure fails the run.
    const ended = new Map<string, Promise<void>>();
    for (let index = 0; index < count; index++) {
      const stage = stages[index] as Stage<C, unknown>;
      const needed = (stage.needs ?? []).map((name) => ended.get(name));
      ended.set(stage.name, Promise.all(needed).then(() => runStage(index)));
    }
    await Promise.all(ended.values());
  } else {
    for (let index = 0; index < count; index++) await runStage(index);
  }
  return { results, summary: rows, seconds: (performance.now() - started) / 1000 };
}
