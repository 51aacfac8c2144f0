/**
 * Every task answers `--help` (exit 0, each flag listed) and refuses a bad flag before any work (exit 2,
 * one line naming the flag).
 */
import assert from "node:assert/strict";
import { failureLine, helpText, integerFlag, listFlag, parseFlags, UsageError } from "../../tasks/_cli.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const TASKS = [
  "report",
  "train",
  "attack",
  "localize",
  "defend",
  "compare",
  "data",
  "notebooks",
  "bench",
  "cluster",
  "weights",
];

async function run(task: string, args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}tasks/${task}.ts`, ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    // A flag that slipped through would start real work: stop it rather than wait.
    signal: AbortSignal.timeout(60_000),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

for (const task of TASKS) {
  Deno.test(`deno task ${task} --help lists every flag with what it does, exit 0`, async () => {
    const { code, stdout } = await run(task, ["--help"]);
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`^Usage: deno task ${task}`));
    for (const flag of ["--help", "--debug"]) {
      assert.ok(stdout.includes(flag), `${task} --help lacks ${flag}`);
    }
  });
  Deno.test(`deno task ${task} refuses an unknown flag with one line, exit 2`, async () => {
    const { code, stdout, stderr } = await run(task, ["--no-such-flag"]);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.equal(stderr.trim().split("\n").length, 1, stderr);
    assert.match(stderr, /no-such-flag/);
  });
}

Deno.test("the study tasks refuse out-of-range values before any work, naming flag and value", async (t) => {
  const cases: [string, string[], RegExp][] = [
    ["attack", ["--samples", "0"], /--samples must be an integer >= 1, current value is '0'/],
    ["attack", ["--attacks", "nosuch"], /unknown attack 'nosuch', known: fgsm/],
    ["train", ["--epochs", "0"], /--epochs must be an integer >= 1/],
    ["train", ["--models", "av-nope"], /Unknown model 'av-nope'/],
    ["report", ["--until", "nosuch"], /--until must name a stage \(data, train, attack, localize, defense\)/],
    ["report", ["--rerun", "nosuch"], /--rerun must name a stage/],
    ["report", ["--profile", "huge"], /--profile must be one of smoke, default, full, paper/],
    ["report", ["--seed", "1.5"], /--seed must be an integer/],
    ["report", ["--examples", "x"], /--examples must be an integer >= 0, current value is 'x'/],
    ["report", ["--examples-attack", "nope"], /--examples-attack must be one of fgsm, pgd, mim, apgd/],
    ["report", ["--examples", "0", "--examples-attack", "fgsm"], /--examples 0 shows no examples/],
    ["data", ["check", "/nonexistent", "--layout", "csv", "--audio-length", "0"], /--audio-length must be/],
    ["bench", ["--steps", "3"], /--steps must be an integer >= 20/],
  ];
  for (const [task, args, expected] of cases) {
    await t.step(`${task} ${args.join(" ")}`, async () => {
      const { code, stderr } = await run(task, args);
      assert.equal(code, 2, stderr);
      assert.equal(stderr.trim().split("\n").length, 1, stderr);
      assert.match(stderr, expected);
    });
  }
});

/** Flags whose value may be any path or name, so no value is out of range. */
const FREE = new Set([
  "out",
  "cache-dir",
  "data-root",
  "csv",
  "classes",
  // cluster: paths, names and SLURM's own formats, passed on as given
  "job-dir",
  "deno",
  "partition",
  "time",
  "mem",
  "image",
  "pvc",
  "mount",
]);

/** Flags with a value, from a task's `--help`: name and placeholder. */
function valueFlags(help: string): [string, string][] {
  return [...help.matchAll(/^ {2}--([a-z-]+) ([A-Za-z|,_-]+)/gm)].map((
    m,
  ) => [m[1] as string, m[2] as string]);
}

Deno.test("every task refuses every flag's out-of-range value with one line naming it, exit 2", async (t) => {
  const workdir = await Deno.makeTempDir();
  // `data` needs a command and a target; its loader flags are checked before the target is read.
  const prefix: Record<string, string[]> = {
    data: ["check", workdir, "--layout", "csv"],
    cluster: ["slurm", "--shards", "2", "--cache-dir", workdir],
  };
  for (const task of TASKS) {
    const { stdout: help } = await run(task, ["--help"]);
    for (const [flag, placeholder] of valueFlags(help)) {
      if (FREE.has(flag)) continue;
      const bad = /^(N|SECONDS)$/.test(placeholder) ? ["-1", "x"] : ["no-such-value"];
      for (const value of bad) {
        await t.step(`${task} --${flag} ${value}`, async () => {
          const args = [...(prefix[task] ?? []), `--${flag}=${value}`];
          if (task === "data" && flag === "layout") args.splice(2, 2);
          const { code, stderr } = await run(task, args);
          assert.equal(code, 2, `${task} --${flag} ${value}: exit ${code}\n${stderr}`);
          assert.equal(stderr.trim().split("\n").length, 1, stderr);
          assert.match(stderr, new RegExp(`${flag}|${value}`));
        });
      }
    }
  }
});

Deno.test("helpText() shows each flag's default; parseFlags() and the value helpers raise UsageError", () => {
  const cli = {
    command: "deno task x",
    usage: ["[options]"],
    summary: "s",
    flags: { n: { type: "string" as const, value: "N", default: "3", help: "a count" } },
  };
  assert.match(helpText(cli), /--n N +a count \[default: 3\]/);
  assert.equal(integerFlag(parseFlags(cli, []), "n"), 3);
  assert.throws(() => parseFlags(cli, ["--m"]), UsageError);
  assert.throws(() => integerFlag(parseFlags(cli, ["--n", "x"]), "n"), /--n must be an integer >= 1/);
  assert.throws(() => listFlag(parseFlags(cli, ["--n", ","]), "n"), /--n needs at least one value/);
});

Deno.test("failureLine() explains tensor-backend failures in one line and keeps other messages' first line", () => {
  for (const raw of ["memory access out of bounds", "Aborted(). Build with -sASSERTIONS for more info."]) {
    const error = new Error(raw);
    error.name = "RuntimeError";
    assert.match(failureLine(error), /^The tensor backend ran out of memory .*--batch-size/);
  }
  assert.match(
    failureLine(new Error("Kernel 'Conv3D' not registered for backend 'wasm'")),
    /backend 'wasm' has no kernel 'Conv3D'/,
  );
  assert.equal(failureLine(new Error("Cannot read a.csv: line 3\nstack")), "Cannot read a.csv: line 3");
  assert.equal(failureLine("plain"), "plain");
});
