/**
 * The `kernels` bench suite: where the reference CNNs' steps spend their time, kernel by kernel, under
 * `tf.profile` (each kernel's own time, synchronous on wasm), summed over a number of profiled steps after
 * warm-up. The README's per-kernel figures come from here; the `engine` suite's wall times are the target.
 *
 * @module
 */
import { type ReferenceCnnName, tf } from "../../lib/engine/mod.ts";
import type { BenchCase, SuiteOptions } from "./suites.ts";
import { REFERENCE_BATCH, referenceSteps } from "./reference_steps.ts";

/** Kernels listed per case (the rest are summed into `otherMs`). */
export const KERNELS_LISTED = 12;

/** One row of a `kernels` case: a kernel on given input shapes, its mean ms per step and share of the step. */
export interface KernelTime {
  kernel: string;
  inputShapes: number[][];
  ms: number;
  share: number;
}

/** Each kernel's mean time per step (by name and input shapes) over `steps` profiled runs of `step`. */
export async function kernelTimes(step: () => Promise<void>, steps: number): Promise<KernelTime[]> {
  for (let i = 0; i < 5; i++) await step();
  const totals = new Map<string, KernelTime>();
  for (let i = 0; i < steps; i++) {
    const profile = await tf.profile(step);
    for (const k of profile.kernels) {
      const shapes = k.inputShapes as number[][];
      const key = `${k.name} ${JSON.stringify(shapes)}`;
      const row = totals.get(key) ?? { kernel: k.name, inputShapes: shapes, ms: 0, share: 0 };
      row.ms += (k.kernelTimeMs as number) / steps;
      totals.set(key, row);
    }
  }
  const rows = [...totals.values()].sort((a, b) => b.ms - a.ms);
  const total = rows.reduce((sum, row) => sum + row.ms, 0);
  for (const row of rows) row.share = row.ms / total;
  return rows;
}

/** Profiles the `small` and `medium` reference CNNs' training and PGD steps. */
export async function* kernelsSuite({ steps }: SuiteOptions): AsyncGenerator<BenchCase> {
  for (const name of ["small", "medium"] as ReferenceCnnName[]) {
    const reference = referenceSteps(name);
    for (const step of ["train", "pgd"] as const) {
      const rows = await kernelTimes(reference[step], steps);
      const ms = rows.reduce((sum, row) => sum + row.ms, 0);
      const listed = rows.slice(0, KERNELS_LISTED);
      yield {
        model: name,
        step: `${step}-kernels`,
        ms,
        batch: REFERENCE_BATCH,
        profiledSteps: steps,
        kernels: listed.map((row) => ({
          ...row,
          ms: Number(row.ms.toFixed(3)),
          share: Number(row.share.toFixed(3)),
        })),
        otherMs: Number((ms - listed.reduce((sum, row) => sum + row.ms, 0)).toFixed(3)),
      };
    }
    reference.dispose();
  }
}
