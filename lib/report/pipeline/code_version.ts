/**
 * The code version of a stage: a hash over the source files it depends on.
 *
 * @module
 */
import { sha256Hex } from "../../cache/hash.ts";

/** Options of {@linkcode codeVersion}. */
export interface CodeVersionOptions {
  /** Project root the paths are relative to. @default the folder that holds `lib/` */
  root?: string;
  /** File name endings that count as source. @default [".ts"] */
  extensions?: readonly string[];
}

function defaultRoot(): string {
  return decodeURIComponent(new URL("../../../", import.meta.url).pathname).replace(/\/$/, "");
}

async function listFiles(
  root: string,
  path: string,
  extensions: readonly string[],
  out: string[],
): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(`${root}/${path}`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new RangeError(`Cannot compute the code version: the path does not exist: ${root}/${path}`);
    }
    throw error;
  }
  if (info.isFile) {
    out.push(path);
    return;
  }
  for await (const entry of Deno.readDir(`${root}/${path}`)) {
    const child = `${path}/${entry.name}`;
    if (entry.isDirectory) await listFiles(root, child, extensions, out);
    else if (entry.isFile && extensions.some((ext) => entry.name.endsWith(ext))) out.push(child);
  }
}

/**
 * Hashes the source files under `paths`: SHA-256 over the sorted relative paths, each followed by its
 * contents. It changes whenever a file is edited, added, removed or renamed, whether or not the change
 * is committed; formatting-only edits change it too. It does not depend on git.
 *
 * @param paths Files or folders relative to the root, e.g. `["lib/data", "lib/engine"]`.
 * @param options Root and extensions.
 * @returns The hash (hex).
 * @throws {RangeError} If a path does not exist.
 *
 * @example Hash a folder
 * ```ts
 * import assert from "node:assert/strict";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/src`);
 * await Deno.writeTextFile(`${root}/src/a.ts`, "export const a = 1;");
 * const before = await codeVersion(["src"], { root });
 * await Deno.writeTextFile(`${root}/src/a.ts`, "export const a = 2;");
 * assert.notEqual(await codeVersion(["src"], { root }), before);
 * ```
 */
export async function codeVersion(
  paths: readonly string[],
  options: CodeVersionOptions = {},
): Promise<string> {
  const { root = defaultRoot(), extensions = [".ts"] } = options;
  const files: string[] = [];
  for (const path of paths) await listFiles(root, path.replace(/\/+$/, ""), extensions, files);
  const unique = [...new Set(files)].sort();
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const file of unique) {
    parts.push(encoder.encode(`${file}\0`), await Deno.readFile(`${root}/${file}`), encoder.encode("\0"));
  }
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return await sha256Hex(bytes);
}
