/**
 * `deno task localize`: trains the weakly supervised attention localizer and measures its maps and the
 * baselines' clean and under attack (the report's `data` and `localize` stages, on the same cache), and
 * prints the localization table and the verdict on the paper's localization claim. Exit status: 0
 * success, 1 failure, 2 usage error.
 *
 * @module
 */
import {
  dataStage,
  localizationBaselineCheck,
  localizationTableMarkdown,
  localizationVerdict,
  localizeStage,
  resultOf,
} from "../lib/report/mod.ts";
import type { Cli } from "./_cli.ts";
import { MARKDOWN_FLAG, STUDY_FLAGS, studyTask, TRAIN_FLAGS } from "./_study.ts";

const CLI: Cli = {
  command: "deno task localize",
  usage: ["[options]"],
  summary: "Trains the attention localizer of a profile (class labels only) and prints, per dataset, the\n" +
    "localization metrics of it and the baselines clean and under the audio, visual and joint attacks,\n" +
    "with 95% bootstrap intervals, and the verdict on the paper's localization claim.",
  flags: {
    ...STUDY_FLAGS,
    ...TRAIN_FLAGS,
    ...MARKDOWN_FLAG,
  },
  notes: "Datasets without boxes (av-digits) get the map-shift measures only.",
};

await studyTask(CLI, [dataStage, localizeStage], (pipeline, config) => {
  const { records } = resultOf(pipeline, localizeStage);
  const plan = config.localize;
  return records.length === 0
    ? plan === null
      ? `The ${config.profile} profile has no localization study.`
      : `The ${config.profile} profile measures localization on ${plan.datasets?.join(", ")} only ` +
        "(datasets with boxes); --profile full measures every dataset."
    : [localizationTableMarkdown(records), localizationBaselineCheck(records), localizationVerdict(records)]
      .filter((part) => part !== "").join("\n\n");
});
