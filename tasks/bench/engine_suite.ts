/**
 * The `engine` bench suite: a training step and a PGD step of the reference CNNs, each beside PyTorch's
 * one-thread time for the same step, measured in the same run where Debian's python3-torch is installed.
 *
 * @module
 */
import type { ReferenceCnnName } from "../../lib/engine/mod.ts";
import { REFERENCE_BATCH, referenceSteps } from "./reference_steps.ts";
import type { BenchCase, SuiteOptions } from "./suites.ts";
import { median, timeSteps } from "./timing.ts";
import { torchPython } from "./torch_python.ts";

async function* engineCases(steps: number): AsyncGenerator<BenchCase> {
  for (const name of ["small", "medium"] as ReferenceCnnName[]) {
    const { net, train, pgd, dispose } = referenceSteps(name);
    const trainMs = await timeSteps(train, steps);
    // Forward + input gradient + weight gradient ≈ 3 forward passes.
    const flops = net.forwardFlopsPerSample * REFERENCE_BATCH;
    yield {
      model: name,
      step: "train",
      ms: trainMs,
      gflops: (3 * flops) / trainMs / 1e6,
      batch: REFERENCE_BATCH,
    };
    const pgdMs = await timeSteps(pgd, steps);
    // Forward + input gradient ≈ 2 forward passes (the first conv's input gradient included).
    yield { model: name, step: "pgd", ms: pgdMs, gflops: (2 * flops) / pgdMs / 1e6, batch: REFERENCE_BATCH };
    dispose();
  }
}

/** One case of `engine_reference.py`'s output. */
interface TorchCase {
  model: string;
  step: string;
  ms: number;
}

/**
 * glibc malloc settings for the PyTorch side: keep freed memory in the process instead of returning each
 * big buffer to the kernel. PyTorch's CPU allocator frees every step's activations, and on a VM where a
 * fresh page costs ~10 µs (this bench's Firecracker host) re-faulting them made its times bimodal (small
 * train 6.5–37 ms, median per run anywhere between); with these the figures are stable and the faster
 * ones, as on a machine with cheap page faults. The wasm engine's heap is never returned, so it pays no
 * such cost either.
 */
export const TORCH_MALLOC_ENV: Readonly<Record<string, string>> = Object.freeze({
  MALLOC_MMAP_THRESHOLD_: String(2 ** 30),
  MALLOC_TRIM_THRESHOLD_: String(2 ** 32 - 1),
  MALLOC_TOP_PAD_: String(2 ** 28),
});

/** PyTorch's one-thread median times from `engine_reference.py` run with `python`. */
async function torchTimes(python: string, steps: number): Promise<{ torch: string; cases: TorchCase[] }> {
  const script = new URL("./engine_reference.py", import.meta.url).pathname;
  const run = await new Deno.Command(python, {
    args: [script, String(steps)],
    env: { ...TORCH_MALLOC_ENV },
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!run.success) {
    throw new Error(`engine_reference.py failed: ${new TextDecoder().decode(run.stderr).trim()}`);
  }
  return JSON.parse(new TextDecoder().decode(run.stdout));
}

/** Rounds of the engine suite: each times every engine case, then PyTorch's. */
export const ENGINE_ROUNDS = 5;

/**
 * The engine cases (batch 64, one thread) beside PyTorch's time for each on this machine, in
 * {@linkcode ENGINE_ROUNDS} alternating rounds (the engine's cases, then PyTorch's), so that a slow spell
 * of a shared host weighs on both sides alike: `ms` and `pytorchMs` are medians over the rounds,
 * `ratioToPytorch` the median of the rounds' ratios (`ratioRange` their least and most), `withinTarget`
 * ratio ≤ 1. Without python3-torch, the engine's medians alone.
 */
export async function* engineSuite({ steps }: SuiteOptions): AsyncGenerator<BenchCase> {
  const python = await torchPython("torch");
  if (python === null) {
    console.error("engine: no PyTorch beside it (no python3 with torch; apt-get install python3-torch)");
  }
  const rounds: { measured: BenchCase[]; reference: { torch: string; cases: TorchCase[] } | null }[] = [];
  for (let round = 0; round < ENGINE_ROUNDS; round++) {
    const measured: BenchCase[] = [];
    for await (const item of engineCases(steps)) measured.push(item);
    rounds.push({ measured, reference: python === null ? null : await torchTimes(python, steps) });
  }
  for (const [index, first] of (rounds[0]?.measured ?? []).entries()) {
    const samples = rounds.map(({ measured, reference }) => {
      const own = measured[index] as BenchCase;
      const torch = reference?.cases.find((c) => c.model === own.model && c.step === own.step);
      return { own, torchMs: torch?.ms };
    });
    const ms = median(samples.map((s) => s.own.ms));
    const combined: BenchCase = {
      ...first,
      ms,
      ...(first.gflops === undefined ? {} : { gflops: (first.gflops * first.ms) / ms }),
      rounds: ENGINE_ROUNDS,
    };
    if (samples.some((s) => s.torchMs === undefined)) {
      yield combined;
      continue;
    }
    const ratios = samples.map((s) => s.own.ms / (s.torchMs as number));
    const ratioToPytorch = median(ratios);
    yield {
      ...combined,
      pytorch: rounds[0]!.reference!.torch,
      pytorchEnv: Object.entries(TORCH_MALLOC_ENV).map(([k, v]) => `${k}=${v}`).join(" "),
      pytorchMs: median(samples.map((s) => s.torchMs as number)),
      ratioToPytorch,
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
      withinTarget: ratioToPytorch <= 1,
    };
  }
}
