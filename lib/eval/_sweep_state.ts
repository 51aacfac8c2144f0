/**
 * Helpers of the sweep: sample selection, model fingerprints, the resume state, cross-cell checks.
 *
 * @module
 */
import { createRng } from "../engine/random.ts";
import type { AvModel } from "../models/types.ts";
import { hashValue, sha256Hex } from "../cache/hash.ts";
import { checkEnsemble, checkMonotoneEpsilon, checkStrongerWeaker, type RecordCheck } from "./checks.ts";
import type { CheckResult, EvalRecord } from "./types.ts";

export interface SweepState {
  schema: string;
  configHash: string;
  records: Record<string, EvalRecord>;
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

export async function readState(path: string): Promise<SweepState | null> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw new SyntaxError(`Cannot read sweep state: the file is not valid JSON: ${path}`, { cause: error });
  }
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
