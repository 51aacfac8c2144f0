/**
 * Comparing stored and expected run identities, and copying stored weights into variables.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { stableStringify } from "../cache/hash.ts";
import { DataFormatError } from "../data/errors.ts";
import { CheckpointMismatchError } from "./checkpoint_mismatch_error.ts";

/** Dotted paths where two JSON values differ, with both values, for error messages. */
export function jsonDifferences(actual: unknown, expected: unknown, prefix: string): Array<[string, string]> {
  if (stableStringify(actual) === stableStringify(expected)) return [];
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (isRecord(actual) && isRecord(expected)) {
    const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
    return keys.flatMap((key) => jsonDifferences(actual[key], expected[key], `${prefix}.${key}`));
  }
  return [[prefix, `${stableStringify(actual)} in the checkpoint, ${stableStringify(expected)} expected`]];
}

/** Throws {@linkcode CheckpointMismatchError} listing `differences`, if any. */
export function assertNoDifferences(path: string, differences: Array<[string, string]>): void {
  if (differences.length === 0) return;
  const details = differences.map(([field, detail]) => `${field}: ${detail}`).join("; ");
  throw new CheckpointMismatchError(path, differences.map(([field]) => field), details);
}

/**
 * Copies named tensors into a model's variables.
 *
 * @throws {DataFormatError} If a variable is missing from `tensors`, has another shape, or `tensors` has
 *   names the model does not know.
 */
export function assignWeights(
  variables: ReadonlyMap<string, tf.Variable>,
  tensors: tf.NamedTensorMap,
  path: string,
  prefix = "",
): void {
  const fail = (message: string) => new DataFormatError(path, `Cannot load checkpoint: ${message}`);
  for (const [name, variable] of variables) {
    const tensor = tensors[prefix + name];
    if (!tensor) throw fail(`weight '${prefix + name}' is missing`);
    if (!tf.util.arraysEqual(tensor.shape, variable.shape)) {
      throw fail(`weight '${prefix + name}' has shape [${tensor.shape}], expected [${variable.shape}]`);
    }
  }
  for (const [name, variable] of variables) variable.assign(tensors[prefix + name] as tf.Tensor);
}
