/**
 * The study tasks' flags resolve into the config before any work: here the adversarial examples' flags
 * of `deno task report` (`--examples N`, `--examples-attack NAME`).
 */
import assert from "node:assert/strict";
import { type Cli, parseFlags, UsageError } from "../../tasks/_cli.ts";
import { EXAMPLE_FLAGS, STUDY_FLAGS, studyConfig } from "../../tasks/_study_flags.ts";

const CLI: Cli = {
  command: "deno task report",
  usage: ["[options]"],
  summary: "",
  flags: { ...STUDY_FLAGS, ...EXAMPLE_FLAGS },
};

const examples = async (...args: string[]) =>
  (await studyConfig(parseFlags(CLI, ["--profile", "smoke", ...args]))).attack.examples;

Deno.test("--examples and --examples-attack set the report's adversarial examples", async (t) => {
  await t.step("without them, the profile's plan (smoke: 3 samples, PGD-3)", async () => {
    assert.deepEqual(await examples(), {
      model: "av-concat",
      samples: 3,
      attack: { attack: "pgd", options: { steps: 3 } },
    });
  });
  await t.step("a count keeps the attack; 0 turns them off", async () => {
    assert.deepEqual(await examples("--examples", "5"), {
      model: "av-concat",
      samples: 5,
      attack: { attack: "pgd", options: { steps: 3 } },
    });
    assert.equal(await examples("--examples", "0"), null);
  });
  await t.step("an attack takes the table study's spec of it, else the registry's defaults", async () => {
    assert.deepEqual((await examples("--examples-attack", "fgsm"))?.attack, { attack: "fgsm" });
    assert.deepEqual((await examples("--examples-attack", "mim"))?.attack, { attack: "mim" });
    assert.deepEqual((await examples("--examples-attack", "pgd"))?.attack, {
      attack: "pgd",
      options: { steps: 3 },
    }, "the plan's own attack keeps its settings (and its examples cell)");
    assert.deepEqual(await examples("--examples-attack", "apgd", "--examples", "2"), {
      model: "av-concat",
      samples: 2,
      attack: { attack: "apgd" },
    });
  });
});

Deno.test("--examples and --examples-attack refuse bad values with a usage error naming the flag", async () => {
  const cases: [string[], RegExp][] = [
    [["--examples", "x"], /--examples must be an integer >= 0, current value is 'x'/],
    [["--examples=-1"], /--examples must be an integer >= 0, current value is '-1'/],
    [["--examples-attack", "nope"], /--examples-attack must be one of fgsm, pgd, mim, apgd, square/],
    [["--examples-attack", "worstCase"], /--examples-attack must be one of/],
    [["--examples", "0", "--examples-attack", "fgsm"], /--examples 0 shows no examples/],
  ];
  for (const [args, message] of cases) {
    await assert.rejects(() => examples(...args), (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
});
