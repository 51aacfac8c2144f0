/**
 * What the dataset hash of user data knows about each media file: its size and modification time by
 * default (a stat, fast), or the SHA-256 of its bytes with `rehash` (reads everything).
 *
 * @module
 */
import { sha256Hex } from "../../cache/hash.ts";

/** Files stat-ed or read at once. */
const CONCURRENCY = 32;

async function fingerprintFile(path: string, rehash: boolean): Promise<string> {
  try {
    if (rehash) return `sha256:${await sha256Hex(await Deno.readFile(path))}`;
    const info = await Deno.stat(path);
    return `${info.size}:${info.mtime?.getTime() ?? "?"}`;
  } catch (error) {
    // A missing or unreadable file is reported when it is read; here it only has to change the hash.
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return "missing";
    if (error instanceof Deno.errors.PermissionDenied) return "unreadable";
    throw error;
  }
}

/**
 * One fingerprint per group of files (a clip's audio and frames): `size:mtime` of each file, or its
 * SHA-256 with `rehash`, joined. Missing files read as `missing`.
 *
 * @param groups The files of each clip.
 * @param rehash Hash the bytes instead of size and modification time.
 * @param onProgress Called after each batch of files.
 * @returns One string per group.
 */
export async function fingerprintGroups(
  groups: readonly (readonly string[])[],
  rehash: boolean,
  onProgress?: (done: number, total: number) => void,
): Promise<string[]> {
  const paths = groups.flat();
  const prints: string[] = [];
  for (let i = 0; i < paths.length; i += CONCURRENCY) {
    prints.push(...await Promise.all(paths.slice(i, i + CONCURRENCY).map((p) => fingerprintFile(p, rehash))));
    onProgress?.(prints.length, paths.length);
  }
  let next = 0;
  return groups.map((group) => prints.slice(next, next += group.length).join("|"));
}
