/**
 * The bench suites behind `deno task bench`. Each suite yields cases; later steps add suites here.
 */
import { createReferenceCnn, createRng, type ReferenceCnnName, tf } from "../lib/engine/mod.ts";

/** One measured case of `reports/bench.json`. */
export interface BenchCase {
  /** What was measured, e.g. the reference CNN's name. */
  model: string;
  /** Which step, e.g. `train` or `pgd`. */
  step: string;
  /** Median wall time of one step in ms, over `steps` runs after warm-up. */
  ms: number;
  /** Achieved GFLOP/s (analytic FLOP count / median time), where a FLOP count is defined. */
  gflops?: number;
  /** Further numbers (samples/s, seconds per epoch, ...). */
  [extra: string]: unknown;
}

/** Options every suite receives. */
export interface SuiteOptions {
  /** Timed repetitions after warm-up. */
  steps: number;
}

/** A suite: an async generator of cases. */
export type BenchSuite = (options: SuiteOptions) => AsyncGenerator<BenchCase>;

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? sorted[mid] as number
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Times `step` (which must finish its work before returning) `steps` times after `warmup` runs. */
export async function timeSteps(step: () => Promise<void>, steps: number, warmup = 5): Promise<number> {
  for (let i = 0; i < warmup; i++) await step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    await step();
    times.push(performance.now() - start);
  }
  return median(times);
}

const BATCH = 64;

async function* engineSuite({ steps }: SuiteOptions): AsyncGenerator<BenchCase> {
  const rng = createRng(0);
  const x = tf.tensor4d(Float32Array.from({ length: BATCH * 28 * 28 }, () => rng.uniform()), [
    BATCH,
    28,
    28,
    1,
  ]);
  const labels = Int32Array.from({ length: BATCH }, () => rng.int(10));
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 10));
  for (const name of ["small", "medium"] as ReferenceCnnName[]) {
    const net = createReferenceCnn(name, { seed: 0 });
    const optimizer = tf.train.adam(1e-3);
    const train = async () => {
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, net.predict(x)) as tf.Scalar,
        true,
        net.variables,
      );
      await loss!.data();
      loss!.dispose();
    };
    const trainMs = await timeSteps(train, steps);
    // Forward + input gradient + weight gradient ≈ 3 forward passes.
    yield {
      model: name,
      step: "train",
      ms: trainMs,
      gflops: (3 * net.forwardFlopsPerSample * BATCH) / trainMs / 1e6,
      batch: BATCH,
    };

    const epsilon = 0.1, stepSize = epsilon / 8;
    const gradient = tf.grad((input: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(y, net.predict(input as tf.Tensor4D))
    );
    let adversarial = tf.clone(x);
    const pgdStep = async () => {
      const next = tf.tidy(() => {
        const g = gradient(adversarial);
        const stepped = tf.add(adversarial, tf.mul(tf.sign(g), stepSize));
        const projected = tf.clipByValue(tf.sub(stepped, x), -epsilon, epsilon);
        return tf.clipByValue(tf.add(x, projected), 0, 1);
      });
      adversarial.dispose();
      adversarial = next;
      await next.data();
    };
    const pgdMs = await timeSteps(pgdStep, steps);
    adversarial.dispose();
    // Forward + input gradient ≈ 2 forward passes (the first conv's input gradient included).
    yield {
      model: name,
      step: "pgd",
      ms: pgdMs,
      gflops: (2 * net.forwardFlopsPerSample * BATCH) / pgdMs / 1e6,
      batch: BATCH,
    };
    optimizer.dispose();
    net.dispose();
  }
  tf.dispose([x, y]);
}

/** Every suite by name. Later steps (models, attacks) add theirs here. */
export const BENCH_SUITES: Record<string, BenchSuite> = {
  engine: engineSuite,
};
