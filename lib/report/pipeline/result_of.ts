/**
 * Typed access to a stage's result in a pipeline run.
 *
 * @module
 */
import type { PipelineResult, Stage } from "../types.ts";

/**
 * The result of `stage` in a finished pipeline run, typed by the stage.
 *
 * @param pipeline What `runPipeline` returned.
 * @param stage A stage of that run.
 * @returns Its result.
 * @throws {RangeError} If the run did not reach the stage.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const stage = { name: "n", description: "", sources: [], inputs: () => ({}), run: () => Promise.resolve(2) };
 * assert.equal(resultOf({ results: { n: 2 }, summary: [], seconds: 0 }, stage), 2);
 * ```
 */
export function resultOf<C, R>(pipeline: PipelineResult, stage: Stage<C, R>): R {
  if (!Object.hasOwn(pipeline.results, stage.name)) {
    throw new RangeError(`Cannot read stage '${stage.name}': the pipeline did not run it`);
  }
  return pipeline.results[stage.name] as R;
}
