/**
 * A content-addressed JSON store: a value is filed under the hash of the inputs that determine it, in
 * an envelope `{ key, hash, value }` where `hash` is the SHA-256 of the value's stable JSON. Files are
 * written atomically; a read verifies the key (a file swapped with another entry's) and the hash (an
 * edited or truncated value), and a file that fails either check reads as a miss, is removed and is
 * reported through `onWarning`, never served.
 *
 * @module
 */
import { hashValue } from "./hash.ts";
import { writeFileAtomic } from "./atomic.ts";

/** A store rooted at a folder. */
export interface CacheStore {
  /** Root folder. */
  readonly root: string;
  /**
   * Reads the value filed under `key`, or undefined on a miss: missing, or failing its check (unparseable,
   * another entry's key, a value that does not match its hash), which is also reported to `onWarning`.
   */
  get<T>(namespace: string, key: string): Promise<T | undefined>;
  /** Files `value` (as JSON) under `key` with its content hash, atomically. */
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

/** Options of {@linkcode openCache}. */
export interface CacheStoreOptions {
  /**
   * Receives one line per entry that failed its check and will be recomputed, e.g.
   * `cache entry eval-cell/ab12… failed its hash check (the value does not match its hash); recomputing`,
   * and the entry's namespace (`eval-cell`), so that a caller can say whose entry it was.
   * @default no output
   */
  onWarning?: (message: string, namespace: string) => void;
}

/** Why a stored envelope cannot be served, or undefined when it can. */
async function envelopeProblem(parsed: unknown, key: string): Promise<string | undefined> {
  if (typeof parsed !== "object" || parsed === null || !("value" in parsed)) return "not a cache envelope";
  const { key: storedKey, hash, value } = parsed as { key?: unknown; hash?: unknown; value: unknown };
  if (storedKey !== key) return "it holds another entry's key";
  if (typeof hash !== "string") return "it has no content hash";
  if ((await hashValue(value)) !== hash) return "the value does not match its hash";
  return undefined;
}

/**
 * Opens (creating lazily) a cache store in `root`.
 *
 * @param root Folder of the store.
 * @param options Where to report entries that fail their check.
 * @returns The store.
 *
 * @example A miss, then a hit
 * ```ts
 * import assert from "node:assert/strict";
 * const store = openCache(await Deno.makeTempDir());
 * const first = await store.memo("demo", { eps: 1 }, async () => 42);
 * const second = await store.memo("demo", { eps: 1 }, async () => 0);
 * assert.deepEqual([first.hit, second.hit, second.value], [false, true, 42]);
 * ```
 *
 * @example An edited entry is recomputed, with a warning
 * ```ts
 * import assert from "node:assert/strict";
 * const warnings: string[] = [];
 * const store = openCache(await Deno.makeTempDir(), { onWarning: (m) => warnings.push(m) });
 * const { key } = await store.memo("demo", { eps: 1 }, async () => ({ accuracy: 0.5 }));
 * const path = store.pathOf("demo", key);
 * await Deno.writeTextFile(path, (await Deno.readTextFile(path)).replace("0.5", "0.9"));
 * const again = await store.memo("demo", { eps: 1 }, async () => ({ accuracy: 0.5 }));
 * assert.deepEqual([again.hit, again.value.accuracy], [false, 0.5]);
 * assert.match(warnings[0] ?? "", /failed its hash check/);
 * ```
 */
export function openCache(root: string, options: CacheStoreOptions = {}): CacheStore {
  const { onWarning = () => {} } = options;
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
      let parsed: unknown;
      let problem: string | undefined;
      try {
        parsed = JSON.parse(text);
        problem = await envelopeProblem(parsed, key);
      } catch {
        problem = "it is not valid JSON";
      }
      if (problem === undefined) return (parsed as { value: T }).value;
      await Deno.remove(path).catch(() => {});
      onWarning(
        `cache entry ${namespace}/${key.slice(0, 12)} failed its hash check (${problem}); recomputing`,
        namespace,
      );
      return undefined;
    },
    async put(namespace, key, value) {
      // Hash what a later read parses, so values that JSON changes (undefined fields, NaN) still verify.
      const stored: unknown = JSON.parse(JSON.stringify(value ?? null));
      const hash = await hashValue(stored);
      await writeFileAtomic(pathOf(namespace, key), JSON.stringify({ key, hash, value: stored }));
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
