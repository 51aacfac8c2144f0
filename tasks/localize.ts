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
  markdownToText,
  resultOf,
} from "../lib/report/mod.ts";
import { booleanFlag, type Cli, runCli, stringFlag } from "./_cli.ts";
import { parallelOptions, runStudy, STUDY_FLAGS, studyConfig, summaryLines, TRAIN_FLAGS } from "./_study.ts";

const CLI: Cli = {
  command: "deno task localize",
  usage: ["[options]"],
  summary: "Trains the attention localizer of a profile (class labels only) and prints, per dataset, the\n" +
    "localization metrics of it and the baselines clean and under the audio, visual and joint attacks,\n" +
    "with 95% bootstrap intervals, and the verdict on the paper's localization claim.",
  flags: {
    ...STUDY_FLAGS,
    ...TRAIN_FLAGS,
    markdown: { type: "boolean", help: "print the tables as Markdown (for a README) instead of plain text" },
  },
  notes: "Datasets without boxes (av-digits) get the map-shift measures only.",
};

await runCli(CLI, async (parsed, ready) => {
  const started = performance.now();
  const config = await studyConfig(parsed);
  const parallel = parallelOptions(parsed);
  ready();
  const pipeline = await runStudy(config, {
    cacheDir: stringFlag(parsed, "cache-dir") ?? ".cache/report",
    parallel,
    stages: [dataStage, localizeStage],
  });
  const { records } = resultOf(pipeline, localizeStage);
  const plan = config.localize;
  const text = records.length === 0
    ? plan === null
      ? `The ${config.profile} profile has no localization study.`
      : `The ${config.profile} profile measures localization on ${plan.datasets?.join(", ")} only ` +
        "(datasets with boxes); --profile full measures every dataset."
    : [localizationTableMarkdown(records), localizationBaselineCheck(records), localizationVerdict(records)]
      .filter((part) => part !== "").join("\n\n");
  console.log(booleanFlag(parsed, "markdown") ? text : markdownToText(text));
  console.error(["", ...summaryLines(pipeline, (performance.now() - started) / 1000)].join("\n"));
  return 0;
});
