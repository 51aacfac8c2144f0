/**
 * Inspecting datasets: a check that reads every clip, and a data card.
 *
 * @module
 */
export * from "./check.ts";
export * from "./dataset_card.ts";
