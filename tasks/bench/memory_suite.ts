/**
 * The `memory` bench suite: the step-memory estimate (`estimateStepMemory`, from batches 1 and 2) against
 * the wasm heap a real step grew to, each case in a fresh process, on three model/batch sizes.
 *
 * @module
 */
import type { BenchCase } from "./suites.ts";

/** The cases: the small preset's training step, the paper models' training and attack steps. */
const CASES = [
  { preset: "small", step: "train", batch: 64 },
  { preset: "paper", step: "train", batch: 4 },
  { preset: "paper", step: "attack", batch: 8 },
] as const;

/** Target: the estimate within 25 % of the measured peak. */
const TOLERANCE = 0.25;

/**
 * Runs each case in `memory_probe.ts` and compares the estimate with the heap (the measured peak of the
 * wasm backend, whose heap never shrinks).
 */
export async function* memorySuite(): AsyncGenerator<BenchCase> {
  const probe = new URL("./memory_probe.ts", import.meta.url).pathname;
  for (const { preset, step, batch } of CASES) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", probe, preset, step, String(batch)],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(
        `Cannot bench memory (${preset} ${step} ${batch}): ${
          new TextDecoder().decode(out.stderr).slice(-400)
        }`,
      );
    }
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
    const measured = JSON.parse(lines.at(-1) ?? "{}") as {
      estimateBytes: number;
      profilePeakBytes: number;
      heapBytes: number;
      residentBytes: number;
      stepMs: number;
    };
    const ratio = measured.estimateBytes / measured.heapBytes;
    yield {
      model: `${preset}/av-concat`,
      step: `${step}-memory`,
      ms: measured.stepMs,
      batch,
      estimateMiB: measured.estimateBytes / 2 ** 20,
      heapMiB: measured.heapBytes / 2 ** 20,
      residentMiB: measured.residentBytes / 2 ** 20,
      estimateOverHeap: ratio,
      withinTarget: Math.abs(ratio - 1) <= TOLERANCE,
    };
  }
}
