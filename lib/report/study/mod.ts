/**
 * The study itself: profiles, the stages (data, train, attack, localize, defense), records, tables and the paper's claims.
 *
 * @module
 */
export * from "./attack_stage.ts";
export * from "./cell_costs.ts";
export * from "./check_summary.ts";
export * from "./claims.ts";
export * from "./compare_runs.ts";
export * from "./compare_runs_markdown.ts";
export * from "./data_stage.ts";
export * from "./defense_plan.ts";
export * from "./defense_stage.ts";
export * from "./defense_table.ts";
export * from "./example_plan.ts";
export * from "./from_eval_records.ts";
export * from "./localization_table.ts";
export * from "./localize_stage.ts";
export * from "./model_ids.ts";
export * from "./notebook_run.ts";
export * from "./report_config.ts";
export * from "./results_table.ts";
export * from "./stages.ts";
export * from "./train_stage.ts";
export * from "./training_table.ts";
export * from "./visual_std.ts";
