/**
 * The reference CNNs' two benchmarked steps (batch 64 of seeded uniform 28×28×1 inputs, softmax
 * cross-entropy): an Adam training step and an L∞ PGD step (input gradient, sign step, projection on the
 * ε-ball, clamp to [0, 1]). Shared by the `engine` suite (timed beside PyTorch) and the `kernels` suite
 * (profiled kernel by kernel).
 *
 * @module
 */
import {
  createReferenceCnn,
  createRng,
  type ReferenceCnn,
  type ReferenceCnnName,
  tf,
} from "../../lib/engine/mod.ts";

/** Samples per step. */
export const REFERENCE_BATCH = 64;

/** One reference CNN with its steps; each step finishes its work (reads a result back) before returning. */
export interface ReferenceSteps {
  net: ReferenceCnn;
  train(): Promise<void>;
  pgd(): Promise<void>;
  /** Frees the net, the optimizer, the batch and the adversarial iterate. */
  dispose(): void;
}

/** The steps of reference CNN `name` (weights seed 0, data seed 0). */
export function referenceSteps(name: ReferenceCnnName): ReferenceSteps {
  const rng = createRng(0);
  const size = REFERENCE_BATCH * 28 * 28;
  const x = tf.tensor4d(Float32Array.from({ length: size }, () => rng.uniform()), [
    REFERENCE_BATCH,
    28,
    28,
    1,
  ]);
  const labels = Int32Array.from({ length: REFERENCE_BATCH }, () => rng.int(10));
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 10));
  const net = createReferenceCnn(name, { seed: 0 });
  const optimizer = tf.train.adam(1e-3);
  const epsilon = 0.1, stepSize = epsilon / 8;
  const gradient = tf.grad((input: tf.Tensor) =>
    tf.losses.softmaxCrossEntropy(y, net.predict(input as tf.Tensor4D))
  );
  let adversarial: tf.Tensor = tf.clone(x);
  return {
    net,
    async train() {
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, net.predict(x)) as tf.Scalar,
        true,
        net.variables,
      );
      await loss!.data();
      loss!.dispose();
    },
    async pgd() {
      const next = tf.tidy(() => {
        const g = gradient(adversarial);
        const stepped = tf.add(adversarial, tf.mul(tf.sign(g), stepSize));
        const projected = tf.clipByValue(tf.sub(stepped, x), -epsilon, epsilon);
        return tf.clipByValue(tf.add(x, projected), 0, 1);
      });
      adversarial.dispose();
      adversarial = next;
      await next.data();
    },
    dispose() {
      tf.dispose([x, y, adversarial]);
      optimizer.dispose();
      net.dispose();
    },
  };
}
