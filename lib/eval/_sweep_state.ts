/**
 * Helpers of the sweep: sample selection, model fingerprints, the resume state, cross-cell checks.
 *
 * @module
 */
import { createRng } from "../engine/random.ts";
import type { AvModel } from "../models/types.ts";
import { hashValue, sha256Hex } from "../cache/hash.ts";
import { writeFileAtomic } from "../cache/atomic.ts";
import { checkEnsemble, checkMonotoneEpsilon, checkStrongerWeaker, type RecordCheck } from "./checks.ts";
import { StateMismatchError } from "./errors.ts";
import { type CheckResult, EVAL_SCHEMA, type EvalRecord } from "./types.ts";

/** The resume file: finished records by cell key, each with the content hash it was written with. */
export interface SweepState {
  schema: string;
  configHash: string;
  records: Record<string, EvalRecord>;
  hashes: Record<string, string>;
}

/** Content hash of a record as a later read parses it (JSON drops undefined fields and NaN). */
function recordHash(record: EvalRecord): Promise<string> {
  return hashValue(JSON.parse(JSON.stringify(record)));
}

/** Sample indices: all in order, or a seeded subset of `n` in split order. */
export function selectIndices(size: number, n: number, seed: number): number[] {
  const all = Array.from({ length: size }, (_, i) => i);
  if (n >= size) return all;
  return createRng(seed).fork("samples").shuffle(all).slice(0, n).sort((a, b) => a - b);
}

export async function modelHash(model: AvModel): Promise<string> {
  const parts: string[] = [];
  for (const [name, variable] of [...model.variables.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const bytes = new Uint8Array((await variable.data()).buffer.slice(0));
    parts.push(`${name}:${variable.shape}:${await sha256Hex(bytes)}`);
  }
  return hashValue({ config: model.config, parts });
}

async function readState(path: string, warn: (message: string) => void): Promise<Partial<SweepState> | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed;
  } catch {
    // Falls through to the warning below.
  }
  warn(`resume state ${path} is not valid JSON; starting the sweep over`);
  return null;
}

/**
 * The resume state of `path` for a run of `configHash`: records whose key and content hash check out; every
 * other record is dropped (its cell is recomputed) with a warning. Without `path`, an empty state.
 */
export async function openState(
  path: string | undefined,
  configHash: string,
  warn: (message: string) => void,
): Promise<SweepState> {
  const state: SweepState = { schema: EVAL_SCHEMA, configHash, records: {}, hashes: {} };
  const previous = path === undefined ? null : await readState(path, warn);
  if (path === undefined || previous === null) return state;
  if (previous.configHash !== configHash) {
    throw new StateMismatchError(path, configHash, String(previous.configHash));
  }
  for (const [key, record] of Object.entries(previous.records ?? {})) {
    const hash = previous.hashes?.[key];
    if (record?.configHash === key && hash !== undefined && hash === await recordHash(record)) {
      state.records[key] = record;
      state.hashes[key] = hash;
    } else {
      warn(`resume state entry ${key.slice(0, 12)} in ${path} failed its hash check; recomputing`);
    }
  }
  return state;
}

/** Adds a finished record to the state and, with `path`, writes the state atomically. */
export async function recordInState(
  state: SweepState,
  path: string | undefined,
  record: EvalRecord,
): Promise<void> {
  state.records[record.configHash] = record;
  state.hashes[record.configHash] = await recordHash(record);
  if (path !== undefined) await writeFileAtomic(path, JSON.stringify(state));
}

const CROSS_CHECKS: readonly string[] = ["stronger-weaker", "monotone-epsilon", "ensemble"];

/** Adds the cross-record checks to the records (replacing earlier ones) and refreshes their flags. */
export function applyCrossChecks(records: EvalRecord[]): EvalRecord[] {
  const verdicts: RecordCheck[] = [
    ...checkStrongerWeaker(records),
    ...checkMonotoneEpsilon(records),
    ...checkEnsemble(records),
  ];
  return records.map((record) => {
    const own = verdicts.filter((v) => v.configHash === record.configHash).map((v) => v.check);
    const checks: CheckResult[] = [...record.checks.filter((c) => !CROSS_CHECKS.includes(c.id)), ...own];
    const flags = checks.filter((c) => !c.ok).map((c) => c.id);
    return { ...record, checks, flags, checksPassed: flags.length === 0 };
  });
}
