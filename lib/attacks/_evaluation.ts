/**
 * The type of one evaluation of an attack objective, shared by the gradient loop and the best-point keeper.
 *
 * @module
 */
import type { tf } from "../engine/tf.ts";

/** One evaluation of the objective at the current inputs. Tensors belong to the caller. */
export interface Evaluation {
  /** Loss `[batch]` (as the loss function returns it). */
  loss: tf.Tensor;
  /** What the attack climbs `[batch]`: the loss, negated when targeted. */
  objective: tf.Tensor;
  /** `[batch]` bool, from {@linkcode isAdversarial}. */
  success: tf.Tensor;
  /** `[batch]` int32 predicted classes. */
  prediction: tf.Tensor;
  /** Gradients of the objective in budget units, one per attacked modality (empty without gradient). */
  grads: tf.Tensor[];
}
