/**
 * A line-by-line transcription of the paper's released attacks (YapengTian/AV-Robustness-CVPR21,
 * main_attack.py, `evaluate_adv`) into tfjs, working like the original on the ImageNet-normalised frame
 * and the raw waveform, with cross-entropy averaged over the batch. Golden reference for the tests.
 *
 * @module
 */
import { tf } from "../../lib/engine/tf.ts";
import type { AvBatch } from "../../lib/data/batch.ts";
import type { AvModel } from "../../lib/models/types.ts";

/** Adversarial audio and frame (in pixel units) from the reference code. Tensors belong to the caller. */
export function referenceAttack(
  kind: "fgsm" | "pgd" | "mim",
  model: AvModel,
  batch: AvBatch,
  epsilon: { visual: number; audio: number },
): { audio: tf.Tensor; visual: tf.Tensor } {
  return tf.tidy(() => {
    const mean = tf.tensor1d([...model.visualNormalization.mean]);
    const std = tf.tensor1d([...model.visualNormalization.std]);
    const norm = (x: tf.Tensor) => tf.div(tf.sub(x, mean), std);
    const inv = (x: tf.Tensor) => tf.add(tf.mul(x, std), mean);
    const frame = norm(batch.visual);
    const audio = batch.audio;
    const k = model.config.numClasses;
    const grads = (f: tf.Tensor, a: tf.Tensor) =>
      tf.grads((fn: tf.Tensor, an: tf.Tensor) => {
        const logits =
          model.apply(tf.reshape(an, audio.shape), tf.reshape(inv(fn), batch.visual.shape)).logits;
        return tf.losses.softmaxCrossEntropy(tf.oneHot(batch.labels, k), logits);
      })([f, a]);
    const [ev, ea] = [epsilon.visual, epsilon.audio];
    if (kind === "fgsm") {
      const [gf, ga] = grads(frame, audio);
      const frameAdv = tf.clipByValue(inv(tf.add(frame, tf.mul(ev, tf.sign(gf as tf.Tensor)))), 0, 1);
      return { visual: inv(norm(frameAdv)), audio: tf.add(audio, tf.mul(ea, tf.sign(ga as tf.Tensor))) };
    }
    let frameAdv: tf.Tensor = frame;
    let audioAdv: tf.Tensor = audio;
    let momentumV: tf.Tensor = tf.zerosLike(frame);
    let momentumA: tf.Tensor = tf.zerosLike(audio);
    for (let t = 0; t < 10; t++) {
      const [gf, ga] = grads(frameAdv, audioAdv) as [tf.Tensor, tf.Tensor];
      if (kind === "pgd") {
        frameAdv = tf.add(frameAdv, tf.mul(ev / 8, tf.sign(gf)));
        frameAdv = tf.add(frame, tf.clipByValue(tf.sub(frameAdv, frame), -ev, ev));
        frameAdv = norm(tf.clipByValue(inv(frameAdv), 0, 1));
        audioAdv = tf.add(audioAdv, tf.mul(ea / 8, tf.sign(ga)));
        audioAdv = tf.clipByValue(tf.add(audio, tf.clipByValue(tf.sub(audioAdv, audio), -ea, ea)), -1, 1);
      } else {
        const gv = tf.add(tf.div(gf, tf.sum(tf.abs(gf))), momentumV);
        momentumV = gv;
        frameAdv = tf.add(frameAdv, tf.mul(ev / 8, tf.sign(gv)));
        const clipTo = (x: tf.Tensor, lower: number, eps: number) => {
          const a = tf.maximum(tf.sub(x, eps), lower);
          const b = tf.add(
            tf.mul(tf.cast(tf.greaterEqual(x, a), "float32"), x),
            tf.mul(tf.cast(tf.greater(a, x), "float32"), a),
          );
          return tf.add(
            tf.mul(tf.cast(tf.greater(b, tf.add(x, eps)), "float32"), tf.add(x, eps)),
            tf.mul(tf.cast(tf.greaterEqual(tf.add(x, eps), b), "float32"), b),
          );
        };
        frameAdv = norm(tf.clipByValue(inv(clipTo(frameAdv, 0, ev)), 0, 1));
        const gaNorm = tf.add(tf.div(ga, tf.sum(tf.abs(ga))), momentumA);
        momentumA = gaNorm;
        audioAdv = tf.add(audioAdv, tf.mul(ea / 8, tf.sign(gaNorm)));
        audioAdv = tf.clipByValue(clipTo(audioAdv, -1, ea), -1, 1);
      }
    }
    return { visual: inv(frameAdv), audio: audioAdv };
  });
}
