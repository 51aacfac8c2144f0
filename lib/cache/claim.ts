/**
 * Claim files: a cross-process lock per name on a (possibly shared) filesystem, so that two workers or
 * two cluster shards never compute the same cache cell. A claim is a file created exclusively
 * (`createNew`, atomic on local and NFS v3+ filesystems) holding its owner's host, pid and start time;
 * the owner refreshes its modification time while it works, so a claim whose owner died is recognised
 * (same host: the pid is gone; another host: no refresh for `staleAfterMs`) and taken over.
 *
 * @module
 */
import { hostname } from "node:os";

/** Options of {@linkcode tryClaim} and {@linkcode waitForClaim}. */
export interface ClaimOptions {
  /** A claim not refreshed for this long is stale (its owner died). @default 300000 (5 min) */
  staleAfterMs?: number;
  /** How often the owner refreshes its claim. @default 15000 */
  refreshMs?: number;
  /** How often a waiter looks again. @default 500 */
  pollMs?: number;
}

/** A held claim. */
export interface Claim {
  /** The claim file. */
  readonly path: string;
  /** Removes the claim (idempotent). */
  release(): Promise<void>;
}

/** What a claim file holds. */
interface ClaimOwner {
  host: string;
  pid: number;
  started: string;
}

function pidAlive(pid: number): boolean {
  try {
    return Deno.statSync(`/proc/${pid}`).isDirectory;
  } catch {
    // No /proc (macOS): assume alive; the refresh time still ends a dead claim.
    return Deno.build.os !== "linux";
  }
}

/** Whether the claim at `path` is stale (its owner died), or absent. */
async function stale(path: string, staleAfterMs: number): Promise<boolean> {
  let text: string, modified: Date | null;
  try {
    [text, modified] = await Promise.all([Deno.readTextFile(path), Deno.stat(path).then((s) => s.mtime)]);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return true;
    throw error;
  }
  let owner: ClaimOwner | undefined;
  try {
    owner = JSON.parse(text) as ClaimOwner;
  } catch {
    owner = undefined; // Being written: judge by its age only.
  }
  if (owner && owner.host === hostname() && owner.pid !== Deno.pid && !pidAlive(owner.pid)) return true;
  return modified !== null && Date.now() - modified.getTime() > staleAfterMs;
}

/**
 * Takes the claim `name` in `dir` if nobody holds it (a stale claim is taken over).
 *
 * @param dir Folder of the claim files (created if needed).
 * @param name File name of the claim (no slashes).
 * @param options Staleness and refresh period.
 * @returns The claim, or null when another live owner holds it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const claim = await tryClaim(dir, "cell-1");
 * assert.ok(claim);
 * assert.equal(await tryClaim(dir, "cell-1", { staleAfterMs: 60_000 }), null, "held by a live owner");
 * await claim.release();
 * assert.ok(await tryClaim(dir, "cell-1"));
 * ```
 */
export async function tryClaim(dir: string, name: string, options: ClaimOptions = {}): Promise<Claim | null> {
  const { staleAfterMs = 300_000, refreshMs = 15_000 } = options;
  if (name.includes("/")) throw new TypeError(`Cannot claim '${name}': a claim name has no slashes`);
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/${name}.claim`;
  for (let attempt = 0; attempt < 2; attempt++) {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { write: true, createNew: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      if (attempt > 0 || !(await stale(path, staleAfterMs))) return null;
      await Deno.remove(path).catch(() => {});
      continue;
    }
    const owner: ClaimOwner = { host: hostname(), pid: Deno.pid, started: new Date().toISOString() };
    await file.write(new TextEncoder().encode(JSON.stringify(owner)));
    file.close();
    const timer = setInterval(() => {
      const now = new Date();
      Deno.utime(path, now, now).catch(() => {});
    }, refreshMs);
    Deno.unrefTimer(timer);
    let released = false;
    return {
      path,
      async release() {
        if (released) return;
        released = true;
        clearInterval(timer);
        await Deno.remove(path).catch(() => {});
      },
    };
  }
  return null;
}

/**
 * Waits until the claim `name` is free (released, or stale) or `ready()` says the work is done.
 *
 * @param dir Folder of the claim files.
 * @param name The claim.
 * @param ready Checked on every poll; true ends the wait.
 * @param options Poll period and staleness.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const claim = await tryClaim(dir, "c");
 * setTimeout(() => claim?.release(), 50);
 * await waitForClaim(dir, "c", async () => false, { pollMs: 10 });
 * assert.ok(await tryClaim(dir, "c"));
 * ```
 */
export async function waitForClaim(
  dir: string,
  name: string,
  ready: () => Promise<boolean>,
  options: ClaimOptions = {},
): Promise<void> {
  const { staleAfterMs = 300_000, pollMs = 500 } = options;
  const path = `${dir}/${name}.claim`;
  while (!(await ready())) {
    if (await stale(path, staleAfterMs)) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
