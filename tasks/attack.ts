/**
 * `deno task attack`: attacks the study's models (the report's data, train and attack stages, on the same
 * cache) and prints the paper's Tables 1 and 2 and its claims beside the verdicts, from the same records
 * that `deno task report` writes to `reports/<profile>/results.json`. Exit status: 0 success, 1 failure,
 * 2 usage error.
 *
 * @module
 */
import {
  attackRecords,
  attackStage,
  claimsMarkdown,
  resultOf,
  table1Markdown,
  table2Markdown,
} from "../lib/report/mod.ts";
import type { Cli } from "./_cli.ts";
import { ATTACK_FLAGS, MARKDOWN_FLAG, STUDY_FLAGS, studyTask, TRAIN_FLAGS } from "./_study.ts";

const CLI: Cli = {
  command: "deno task attack",
  usage: ["[options]"],
  summary:
    "Attacks the models of a profile (training any that are not cached) through the report's stages\n" +
    "and prints Tables 1 and 2 and the paper's claims beside the verdicts computed from the records.",
  flags: {
    ...STUDY_FLAGS,
    ...TRAIN_FLAGS,
    ...ATTACK_FLAGS,
    ...MARKDOWN_FLAG,
  },
  notes:
    "Every finished cell is cached: an interrupted run continues where it stopped, and a changed setting\n" +
    "recomputes only the cells it touches.",
};

await studyTask(CLI, attackStage.name, (pipeline) => {
  const records = attackRecords(resultOf(pipeline, attackStage)).filter((r) => r.study === "table");
  return [table1Markdown(records), table2Markdown(records), claimsMarkdown(records)]
    .filter((part) => part !== "").join("\n\n");
});
