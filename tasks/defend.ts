/**
 * `deno task defend`: fine-tunes the paper's defense (dissimilarity + memory banks), its parts and the
 * baselines (vanilla, PGD adversarial training) from the trained base model, attacks each adaptively (the
 * report's data, train and defense stages, on the same cache), and prints Table 3 with the verdict on the
 * paper's defense claim. Exit status: 0 success, 1 failure, 2 usage error.
 *
 * @module
 */
import {
  dataStage,
  defenseStage,
  defenseTableMarkdown,
  defenseVerdict,
  resultOf,
  trainStage,
} from "../lib/report/mod.ts";
import type { Cli } from "./_cli.ts";
import { MARKDOWN_FLAG, STUDY_FLAGS, studyTask, TRAIN_FLAGS } from "./_study.ts";

const CLI: Cli = {
  command: "deno task defend",
  usage: ["[options]"],
  summary:
    "Fine-tunes the paper's defense and the baselines of a profile from its base model (av-concat) and\n" +
    "prints Table 3: clean and worst-case adaptive robust accuracy (end-to-end PGD/APGD with CE, margin\n" +
    "and CE+cos, BPDA, transfer, Square) with 95% intervals, the clean-accuracy cost, the worst attack,\n" +
    "the ablations and the verdict on the paper's defense claim.",
  flags: { ...STUDY_FLAGS, ...TRAIN_FLAGS, ...MARKDOWN_FLAG },
  notes: "--epochs sets the base model's training; the defense plan of the profile sets fine-tuning.\n" +
    "Every finished cell is cached: a rerun prints the same table in seconds.",
};

await studyTask(CLI, [dataStage, trainStage, defenseStage], (pipeline) => {
  const { records } = resultOf(pipeline, defenseStage);
  return records.length === 0
    ? "This profile has no defense study."
    : [defenseTableMarkdown(records), defenseVerdict(records)].join("\n\n");
});
