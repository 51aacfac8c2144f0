/**
 * The one invalidation rule of the project: a cache key holds the content hash of the source files the
 * computation depends on, found by following the imports of its entry modules (never a hand-bumped
 * constant, a hand-written file list or a git revision).
 *
 * @module
 */
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { sha256Hex } from "./hash.ts";

/** Options of {@linkcode sourceHash}. */
export interface SourceHashOptions {
  /**
   * Project root: file paths in the hash are relative to it, relative entry paths are resolved against
   * it, and its `deno.json` `imports` map resolves bare specifiers. Results are memoised per process
   * only for the project's own root (the code a process runs does not change under it); with another
   * root the files are read on every call, so tests on temporary folders see their edits.
   * @default the folder that holds `lib/`
   */
  root?: string;
}

interface SourceFile {
  bytes: Uint8Array;
  specifiers: string[];
}

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");
const results = new Map<string, Promise<string>>();
const files = new Map<string, Promise<SourceFile | undefined>>();
const importMaps = new Map<string, Promise<Record<string, string>>>();

// `import x from "…"`, `import { a, type B } from "…"`, `export * from "…"`, `import "…"`; group 2 marks
// `import type` / `export type`, group 3 is the import clause, group 4 the specifier.
const STATIC = /^[ \t]*(import|export)[ \t]+(type[ \t]+)?(?:([\w$*{},\s]*?)\s*from\s*)?["']([^"'\n]+)["']/gm;
const DYNAMIC = /\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)/g;

/** Whether an import clause names types only (`{ type A, type B }`), which cannot change values. */
function typeOnlyClause(clause: string): boolean {
  const braces = /^\{([^}]*)\}$/.exec(clause.trim());
  if (braces === null) return false;
  const names = (braces[1] ?? "").split(",").map((name) => name.trim()).filter((name) => name !== "");
  return names.length > 0 && names.every((name) => /^type\s/.test(name));
}

/** The value-level import specifiers of a module's source text (JSDoc and `//` lines skipped). */
function specifiersOf(text: string): string[] {
  const code = text.split("\n").filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line)).join("\n");
  const out: string[] = [];
  for (const match of code.matchAll(STATIC)) {
    if (match[2] !== undefined || typeOnlyClause(match[3] ?? "")) continue;
    out.push(match[4] as string);
  }
  for (const match of code.matchAll(DYNAMIC)) out.push(match[1] as string);
  return out;
}

async function readSource(path: string): Promise<SourceFile | undefined> {
  try {
    const bytes = await Deno.readFile(path);
    return { bytes, specifiers: specifiersOf(new TextDecoder().decode(bytes)) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

async function readImportMap(root: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${root}/deno.json`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`Cannot hash sources: ${root}/deno.json is not valid JSON: ${error}`);
  }
  const imports = typeof parsed === "object" && parsed !== null && "imports" in parsed ? parsed.imports : {};
  const map: Record<string, string> = {};
  if (typeof imports === "object" && imports !== null) {
    for (const [key, value] of Object.entries(imports)) if (typeof value === "string") map[key] = value;
  }
  return map;
}

function memoised<T>(table: Map<string, Promise<T>>, key: string, use: boolean, make: () => Promise<T>) {
  if (!use) return make();
  let value = table.get(key);
  if (value === undefined) {
    value = make();
    table.set(key, value);
    value.catch(() => table.delete(key));
  }
  return value;
}

/** What a bare specifier resolves to in the import map (exact key, else the longest `prefix/` key). */
function resolveBare(map: Record<string, string>, specifier: string): string | undefined {
  if (Object.hasOwn(map, specifier)) return `${specifier}=${map[specifier]}`;
  const prefix = Object.keys(map)
    .filter((key) => key.endsWith("/") && specifier.startsWith(key))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : `${prefix}=${map[prefix]}`;
}

function entryPath(entry: string | URL, root: string): string {
  const text = String(entry);
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^file:/i.test(text)) {
    throw new TypeError(
      `Cannot hash sources: an entry must be a file path or file URL, current value is ${text}`,
    );
  }
  if (/^file:/i.test(text)) return fileURLToPath(text);
  return isAbsolute(text) ? resolve(text) : resolve(root, text);
}

async function computeHash(entries: readonly string[], root: string, memo: boolean): Promise<string> {
  const map = await memoised(importMaps, root, memo, () => readImportMap(root));
  const read = (path: string) => memoised(files, path, memo, () => readSource(path));
  const seen = new Map<string, SourceFile>();
  const packages = new Set<string>();
  const queue: string[] = [];
  for (const path of entries) {
    const source = await read(path);
    if (source === undefined) {
      throw new RangeError(`Cannot hash sources: the entry module does not exist: ${path}`);
    }
    if (!seen.has(path)) (seen.set(path, source), queue.push(path));
  }
  while (queue.length > 0) {
    const path = queue.shift() as string;
    for (const specifier of (seen.get(path) as SourceFile).specifiers) {
      if (/^(\.{1,2}\/|\/|file:)/.test(specifier)) {
        const target = fileURLToPath(new URL(specifier, pathToFileURL(path)));
        if (seen.has(target)) continue;
        // A missing import cannot be loaded either, so nothing computed with it can be cached.
        const source = await read(target);
        if (source !== undefined) (seen.set(target, source), queue.push(target));
      } else if (!/^[a-z][a-z0-9+.-]*:/i.test(specifier)) {
        // Bare specifiers (npm packages): the resolved version; `npm:`/`jsr:`/`node:` ones are in the text.
        const resolved = resolveBare(map, specifier);
        if (resolved !== undefined) packages.add(resolved);
      }
    }
  }
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const named = [...seen].map(([path, source]) => [relative(root, path), source] as const);
  for (const [name, source] of named.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    parts.push(encoder.encode(`file\0${name}\0`), source.bytes, encoder.encode("\0"));
  }
  for (const resolved of [...packages].sort()) parts.push(encoder.encode(`package\0${resolved}\0`));
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) (bytes.set(part, offset), offset += part.length);
  return await sha256Hex(bytes);
}

/**
 * Content hash of the code a computation depends on: SHA-256 over the sorted (path relative to the
 * root, contents) of every module in the static-import closure of `entries`, plus the import-map target
 * (e.g. `npm:@tensorflow/tfjs-core@4.22.0`) of every bare specifier in it. Followed: relative specifiers
 * of `import … from`, `export … from`, `import "…"` and literal `import("…")`; skipped: JSDoc and `//`
 * lines, `import type` / `export type` and clauses of types only. Never uses git.
 *
 * @param entries Entry modules: file URLs (e.g. `import.meta.url`), absolute paths or paths relative to the root.
 * @param options The project root.
 * @returns The hash (hex).
 * @throws {RangeError} If an entry module does not exist.
 * @throws {TypeError} If an entry is a URL other than `file:`.
 *
 * @example An edit in the closure changes the hash
 * ```ts
 * import assert from "node:assert/strict";
 * const root = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${root}/main.ts`, 'import { b } from "./b.ts";\nexport const a = b;');
 * await Deno.writeTextFile(`${root}/b.ts`, "export const b = 1;");
 * const before = await sourceHash(["main.ts"], { root });
 * await Deno.writeTextFile(`${root}/b.ts`, "export const b = 2;");
 * assert.notEqual(await sourceHash(["main.ts"], { root }), before);
 * ```
 */
export async function sourceHash(
  entries: readonly (string | URL)[],
  options: SourceHashOptions = {},
): Promise<string> {
  const root = resolve(options.root ?? PROJECT_ROOT);
  const paths = [...new Set(entries.map((entry) => entryPath(entry, root)))].sort();
  const memo = root === PROJECT_ROOT;
  return await memoised(results, JSON.stringify(paths), memo, () => computeHash(paths, root, memo));
}
