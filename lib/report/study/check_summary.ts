/**
 * Tallies the sanity checks of the evaluated cells for the report.
 *
 * @module
 */
import { CHECK_DOCS } from "../../eval/mod.ts";
import type { CheckId, EvalRecord } from "../../eval/mod.ts";
import type { CheckSummary } from "../types.ts";

/** Options of {@linkcode summarizeChecks}. */
export interface SummarizeChecksOptions {
  /** Examples listed per raised check. @default 5 */
  examples?: number;
}

/**
 * Counts, per check id, the cells where it passed and where it was raised, with the explanation of
 * `CHECK_DOCS` and a few examples of raised flags. Checks that never ran are left out.
 *
 * @param records Records of `runSweep`.
 * @param options How many examples.
 * @returns One summary per check that ran, in `CHECK_DOCS` order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(summarizeChecks([]), []);
 * ```
 */
export function summarizeChecks(
  records: readonly EvalRecord[],
  options: SummarizeChecksOptions = {},
): CheckSummary[] {
  const { examples = 5 } = options;
  const ids = Object.keys(CHECK_DOCS).filter((id): id is CheckId => Object.hasOwn(CHECK_DOCS, id));
  const out: CheckSummary[] = [];
  for (const id of ids) {
    let passed = 0, flagged = 0;
    const found: string[] = [];
    for (const record of records) {
      for (const check of record.checks) {
        if (check.id !== id) continue;
        if (check.ok) passed++;
        else {
          flagged++;
          if (found.length < examples) {
            found.push(
              `${record.dataset}, ${record.model}, ${record.attackLabel}, ε_a ${record.epsAudio}, ε_v ` +
                `${record.epsVisual}: ${check.detail}`,
            );
          }
        }
      }
    }
    if (passed + flagged === 0) continue;
    const doc = CHECK_DOCS[id];
    out.push({
      id,
      title: doc.title,
      raisedIf: doc.raisedIf,
      whatToDo: doc.whatToDo,
      passed,
      flagged,
      examples: found,
    });
  }
  return out;
}
