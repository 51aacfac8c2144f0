/**
 * The `engine` bench suite: a training step and a PGD step of the reference CNNs, each beside PyTorch's
 * one-thread time for the same step, measured in the same run where Debian's python3-torch is installed.
 *
 * @module
 */
import { createReferenceCnn, createRng, type ReferenceCnnName, tf } from "../../lib/engine/mod.ts";
import type { BenchCase, SuiteOptions } from "./suites.ts";
import { timeSteps } from "./timing.ts";
import { torchPython } from "./torch_python.ts";

const BATCH = 64;

async function* engineCases(steps: number): AsyncGenerator<BenchCase> {
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
    let adversarial: tf.Tensor = tf.clone(x);
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

/** One case of `engine_reference.py`'s output. */
interface TorchCase {
  model: string;
  step: string;
  ms: number;
}

/** PyTorch's one-thread median times from `engine_reference.py`, or null (saying why) without python3-torch. */
async function torchTimes(steps: number): Promise<{ torch: string; cases: TorchCase[] } | null> {
  const python = await torchPython("torch");
  if (python === null) {
    console.error("engine: no PyTorch beside it (no python3 with torch; apt-get install python3-torch)");
    return null;
  }
  const script = new URL("./engine_reference.py", import.meta.url).pathname;
  const run = await new Deno.Command(python, {
    args: [script, String(steps)],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!run.success) {
    throw new Error(`engine_reference.py failed: ${new TextDecoder().decode(run.stderr).trim()}`);
  }
  return JSON.parse(new TextDecoder().decode(run.stdout));
}

/**
 * The engine cases (batch 64, one thread), then PyTorch's time for each measured right after them on this
 * machine: each case gains `pytorchMs`, `ratioToPytorch` and `withinTarget` (ratio ≤ 1).
 */
export async function* engineSuite({ steps }: SuiteOptions): AsyncGenerator<BenchCase> {
  const cases: BenchCase[] = [];
  for await (const measured of engineCases(steps)) cases.push(measured);
  const reference = await torchTimes(steps);
  for (const measured of cases) {
    const torchCase = reference?.cases.find((c) => c.model === measured.model && c.step === measured.step);
    if (torchCase === undefined) {
      yield measured;
      continue;
    }
    const ratioToPytorch = measured.ms / torchCase.ms;
    yield {
      ...measured,
      pytorch: reference!.torch,
      pytorchMs: torchCase.ms,
      ratioToPytorch,
      withinTarget: ratioToPytorch <= 1,
    };
  }
}
