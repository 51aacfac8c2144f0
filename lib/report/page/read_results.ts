/**
 * Reads a run's records back from the `results.json` that `writeReport` writes.
 *
 * @module
 */
import { join } from "node:path";
import { DataFormatError } from "../../data/errors.ts";
import type { ResultSet } from "../study/compare_runs.ts";

/** A result set and the file it came from. */
export interface ReadResults extends ResultSet {
  /** The `results.json` read. */
  path: string;
}

type FieldType = "string" | "number" | "object";

/** The fields each list's rows must have (what matching and comparing them reads). */
const REQUIRED: Readonly<Record<"records" | "localization" | "defense", Record<string, FieldType>>> = {
  records: {
    dataset: "string",
    model: "string",
    attack: "string",
    study: "string",
    setting: "string",
    norm: "string",
    epsAudio: "number",
    epsVisual: "number",
    correct: "number",
    total: "number",
  },
  localization: {
    dataset: "string",
    localizer: "string",
    attack: "string",
    attackLabel: "string",
    setting: "string",
    epsAudio: "number",
    epsVisual: "number",
    samples: "number",
    accuracy: "number",
  },
  defense: {
    dataset: "string",
    defense: "string",
    study: "string",
    setting: "string",
    epsAudio: "number",
    epsVisual: "number",
    samples: "number",
    accuracy: "object",
  },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Why `rows` cannot be `list`'s rows, or undefined. */
function rowsProblem(list: keyof typeof REQUIRED, rows: unknown): string | undefined {
  if (!Array.isArray(rows)) return `'${list}' is not a list`;
  for (const [index, row] of rows.entries()) {
    if (!isObject(row)) return `${list}[${index}] is not an object`;
    for (const [field, type] of Object.entries(REQUIRED[list])) {
      const value = row[field];
      const ok = type === "string"
        ? typeof value === "string"
        : type === "number"
        ? typeof value === "number"
        : isObject(value);
      if (!ok) return `${list}[${index}].${field} is not ${type === "object" ? "an object" : `a ${type}`}`;
    }
  }
  return undefined;
}

/** Why `value` is not a result set, or undefined. */
function resultSetProblem(value: unknown): string | undefined {
  if (!isObject(value) || !Array.isArray(value.records)) return "no 'records' list (not a results.json)";
  return rowsProblem("records", value.records) ??
    (value.localization === undefined ? undefined : rowsProblem("localization", value.localization)) ??
    (value.defense === undefined ? undefined : rowsProblem("defense", value.defense));
}

function isResultSet(value: unknown): value is ResultSet {
  return resultSetProblem(value) === undefined;
}

/**
 * Reads a result set: `path` is a report folder (`reports/<profile>`, its `results.json` is read) or a
 * `results.json` file. Localization and defense rows are optional (older runs have none).
 *
 * @param path A report folder or a results file.
 * @returns The records, localization and defense rows, and the file read.
 * @throws {DataFormatError} If the file is missing, is not JSON, or a row lacks a field that cells are
 *   matched or compared on (the message names the file and the row).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/results.json`, JSON.stringify({ records: [] }));
 * assert.deepEqual((await readResults(dir)).records, []);
 * await assert.rejects(readResults(`${dir}/nope.json`), /Cannot read results: no such file or folder/);
 * ```
 */
export async function readResults(path: string): Promise<ReadResults> {
  const info = await Deno.stat(path).catch(() => null);
  if (info === null) throw new DataFormatError(path, "Cannot read results: no such file or folder");
  const file = info.isDirectory ? join(path, "results.json") : path;
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    const problem = error instanceof Deno.errors.NotFound
      ? "the folder has no results.json (deno task report writes it)"
      : (error instanceof Error ? error.message : String(error));
    throw new DataFormatError(file, `Cannot read results: ${problem}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new DataFormatError(file, `Cannot read results: not valid JSON (${reason})`);
  }
  if (!isResultSet(parsed)) {
    throw new DataFormatError(file, `Cannot read results: ${resultSetProblem(parsed)}`);
  }
  return {
    path: file,
    records: parsed.records.map((r) => ({ ...r, attackOptions: r.attackOptions ?? {} })),
    localization: parsed.localization ?? [],
    defense: parsed.defense ?? [],
  };
}
