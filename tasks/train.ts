/**
 * `deno task train`: trains the study's models (the `data` and `train` stages of the report, on the same
 * cache, checkpoints and model ids) and prints the training table with the datasets' acceptance bar.
 * An interrupted run (Ctrl-C included) resumes from its last finished epoch when the same command runs
 * again. Exit status: 0 success, 1 failure, 2 usage error.
 *
 * @module
 */
import { markdownToText, resultOf, trainingTableMarkdown, trainStage } from "../lib/report/mod.ts";
import { booleanFlag, type Cli, runCli, stringFlag } from "./_cli.ts";
import { runStudy, STUDY_FLAGS, studyConfig, summaryLines, TRAIN_FLAGS } from "./_study.ts";

const CLI: Cli = {
  command: "deno task train",
  usage: ["[options]"],
  summary:
    "Trains the models of a profile (the report's data and train stages, same cache and checkpoints)\n" +
    "and prints, per dataset, each model's best validation and test accuracy and the acceptance bar.",
  flags: {
    ...STUDY_FLAGS,
    ...TRAIN_FLAGS,
    markdown: { type: "boolean", help: "print the tables as Markdown (for a README) instead of plain text" },
  },
};

await runCli(CLI, async (parsed, ready) => {
  const started = performance.now();
  const config = await studyConfig(parsed);
  ready();
  const pipeline = await runStudy(config, {
    cacheDir: stringFlag(parsed, "cache-dir") ?? ".cache/report",
    until: trainStage.name,
  });
  const result = resultOf(pipeline, trainStage);
  const table = trainingTableMarkdown(result.models);
  console.log(booleanFlag(parsed, "markdown") ? table : markdownToText(table));
  console.error(["", ...summaryLines(pipeline, (performance.now() - started) / 1000)].join("\n"));
  return 0;
});
