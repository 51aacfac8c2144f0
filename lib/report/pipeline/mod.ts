/**
 * The engine of the study: an ordered registry of cached stages.
 *
 * @module
 */
export * from "./format_pipeline_event.ts";
export * from "./pipeline.ts";
export * from "./result_of.ts";
export * from "./cell_scheduler.ts";
export * from "./cell_partition.ts";
