/**
 * A content-addressed JSON store: a value is filed under the hash of the inputs that determine it.
 * Files are written atomically; a truncated or corrupt file reads as a miss (and is removed), never as
 * a wrong value.
 *
 * @module
 */
import { hashValue } from "./hash.ts";
import { writeFileAtomic } from "./atomic.ts";

/** A store rooted at a folder. */
export interface CacheStore {
  /** Root folder. */
  readonly root: string;
  /** Reads the value filed under `key`, or undefined on a miss (missing, truncated or corrupt). */
  get<T>(namespace: string, key: string): Promise<T | undefined>;
  /** Files `value` under `key`, atomically. */
  put(namespace: string, key: string, value: unknown): Promise<void>;
  /** Returns the cached value for `inputs`, or computes, files and returns it. */
  memo<T>(
    namespace: string,
    inputs: unknown,
    compute: () => Promise<T>,
  ): Promise<{ value: T; hit: boolean; key: string }>;
  /** Path of the file for `key` (for artefacts stored beside the JSON). */
  pathOf(namespace: string, key: string, extension?: string): string;
}

/**
 * Opens (creating lazily) a cache store in `root`.
 *
 * @example A miss, then a hit
 * ```ts
 * import assert from "node:assert/strict";
 * const store = openCache(await Deno.makeTempDir());
 * const first = await store.memo("demo", { eps: 1 }, async () => 42);
 * const second = await store.memo("demo", { eps: 1 }, async () => 0);
 * assert.deepEqual([first.hit, second.hit, second.value], [false, true, 42]);
 * ```
 */
export function openCache(root: string): CacheStore {
  const pathOf = (namespace: string, key: string, extension = "json") =>
    `${root}/${namespace}/${key.slice(0, 2)}/${key}.${extension}`;
  const store: CacheStore = {
    root,
    pathOf,
    async get<T>(namespace: string, key: string): Promise<T | undefined> {
      const path = pathOf(namespace, key);
      let text: string;
      try {
        text = await Deno.readTextFile(path);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw error;
      }
      try {
        const parsed = JSON.parse(text) as { key?: string; value: T };
        if (parsed.key !== key) throw new SyntaxError("key mismatch");
        return parsed.value;
      } catch {
        await Deno.remove(path).catch(() => {});
        return undefined;
      }
    },
    async put(namespace, key, value) {
      await writeFileAtomic(pathOf(namespace, key), JSON.stringify({ key, value }));
    },
    async memo<T>(namespace: string, inputs: unknown, compute: () => Promise<T>) {
      const key = await hashValue(inputs);
      const cached = await store.get<T>(namespace, key);
      if (cached !== undefined) return { value: cached, hit: true, key };
      const value = await compute();
      await store.put(namespace, key, value);
      return { value, hit: false, key };
    },
  };
  return store;
}
