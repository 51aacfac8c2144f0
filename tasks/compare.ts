/**
 * `deno task compare A B`: two result sets side by side (a `reports/<profile>` folder or a `results.json`
 * file each): per cell both accuracies, the difference and whether it is beyond noise, then the cells only
 * in A or only in B. Exit status: 0 success (whatever differs), 1 a file that cannot be read, 2 usage error.
 *
 * @module
 */
import {
  compareRule,
  compareRuns,
  compareRunsMarkdown,
  markdownToText,
  readResults,
} from "../lib/report/mod.ts";
import { booleanFlag, type Cli, numberFlag, runCli, UsageError, wrap } from "./_cli.ts";
import { MARKDOWN_FLAG } from "./_study.ts";

const CLI: Cli = {
  command: "deno task compare",
  usage: ["A B [options]"],
  summary:
    "Compares two result sets, A and B (each a reports/<profile> folder or a results.json file): for every\n" +
    "cell both hold, the two accuracies, B - A and whether the difference is beyond noise; then the cells\n" +
    "only in A and only in B. Use it for corrected against as-released MIM, two seeds, two checkouts.",
  flags: {
    alpha: {
      type: "string",
      value: "P",
      default: "0.05",
      help: "significance level of the per-cell test, in (0, 0.5]",
    },
    ...MARKDOWN_FLAG,
  },
  notes:
    "Cells match on study, dataset, model (or localizer, defense row), attack with its options, setting,\n" +
    "norm, ε_a and ε_v; not on the seed. Cells left over that differ only in the attack's options (mim\n" +
    "against mim(projection=asReleased)) are paired when exactly one such cell is on each side.\n" +
    "Attack, localization and defense cells are all compared.\n\n" + wrap(compareRule(), 100).join("\n"),
};

await runCli(CLI, async (parsed, ready) => {
  const alpha = numberFlag(parsed, "alpha", { min: 0, max: 0.5, exclusiveMin: true }) ?? 0.05;
  const [a, b, ...extra] = parsed.positionals;
  if (a === undefined || b === undefined || extra.length > 0) {
    throw new UsageError(
      `give two result sets, A and B (a reports/<profile> folder or a results.json file each), ` +
        `current count is ${parsed.positionals.length}`,
    );
  }
  ready();
  const [setA, setB] = [await readResults(a), await readResults(b)];
  const text = compareRunsMarkdown(compareRuns(setA, setB, { alpha }), { a: setA.path, b: setB.path });
  console.log(booleanFlag(parsed, "markdown") ? text : markdownToText(text));
  return 0;
});
