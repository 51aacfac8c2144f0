/**
 * `deno task train`: trains the study's models (the `data` and `train` stages of the report, on the same
 * cache, checkpoints and model ids) and prints the training table with the datasets' acceptance bar.
 * An interrupted run (Ctrl-C included) resumes from its last finished epoch when the same command runs
 * again. Exit status: 0 success, 1 failure, 2 usage error.
 *
 * @module
 */
import { resultOf, trainingTableMarkdown, trainStage } from "../lib/report/mod.ts";
import type { Cli } from "./_cli.ts";
import { MARKDOWN_FLAG, STUDY_FLAGS, studyTask, TRAIN_FLAGS } from "./_study.ts";

const CLI: Cli = {
  command: "deno task train",
  usage: ["[options]"],
  summary:
    "Trains the models of a profile (the report's data and train stages, same cache and checkpoints)\n" +
    "and prints, per dataset, each model's best validation and test accuracy and the acceptance bar.",
  flags: {
    ...STUDY_FLAGS,
    ...TRAIN_FLAGS,
    ...MARKDOWN_FLAG,
  },
};

await studyTask(
  CLI,
  trainStage.name,
  (pipeline) => trainingTableMarkdown(resultOf(pipeline, trainStage).models),
);
