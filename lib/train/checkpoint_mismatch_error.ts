/**
 * The error raised when a checkpoint or resume state belongs to another config or dataset.
 *
 * @module
 */

/**
 * A checkpoint (or resume state) that does not match what the caller expects. `fields` lists the dotted
 * paths that differ, e.g. `config.visual.widths` or `datasetHash`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const detail = `datasetHash: "x" in the checkpoint, "y" expected`;
 * const error = new CheckpointMismatchError("runs/a/best", ["datasetHash"], detail);
 * assert.deepEqual(error.fields, ["datasetHash"]);
 * assert.match(error.message, /runs\/a\/best/);
 * ```
 */
export class CheckpointMismatchError extends Error {
  /** The checkpoint folder. */
  readonly path: string;
  /** The differing fields. */
  readonly fields: string[];
  constructor(path: string, fields: string[], details: string) {
    super(
      `Cannot use checkpoint: ${fields.join(", ")} differ from the expected values (${details}): ${path}`,
    );
    this.name = "CheckpointMismatchError";
    this.path = path;
    this.fields = fields;
  }
}
