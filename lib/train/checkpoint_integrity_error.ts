/**
 * The error raised when a checkpoint's files do not match the hashes recorded when it was saved.
 *
 * @module
 */
import { DataFormatError } from "../data/errors.ts";

/**
 * A checkpoint (or resume state) file that was edited, truncated, swapped or lost after it was saved:
 * its SHA-256 differs from the one `checkpoint.json` records, or `checkpoint.json` itself does not
 * match its `contentSha256`. A {@linkcode DataFormatError}, so callers that skip bad data files catch
 * it too; `path` is the offending file. The cure is to train again (the report does so by itself).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataFormatError } from "../data/errors.ts";
 * const error = new CheckpointIntegrityError("runs/a/best/model.json", "the file does not match its recorded hash");
 * assert.equal(error.name, "CheckpointIntegrityError");
 * assert.ok(error instanceof DataFormatError);
 * assert.match(error.message, /^Cannot load checkpoint: the file does not match .*runs\/a\/best\/model\.json$/);
 * ```
 */
export class CheckpointIntegrityError extends DataFormatError {
  constructor(path: string, problem: string, options?: ErrorOptions) {
    super(path, `Cannot load checkpoint: ${problem}`, options);
    this.name = "CheckpointIntegrityError";
  }
}
