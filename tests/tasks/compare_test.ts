/** `deno task compare` on hand-made result files. */
import assert from "node:assert/strict";
import { fakeRecords } from "../report/_fixtures.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function compare(args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}tasks/compare.ts`, ...args],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

Deno.test("deno task compare prints matched cells, the verdict per cell and unmatched cells", async (t) => {
  const dir = await Deno.makeTempDir();
  const records = fakeRecords({ total: 500 });
  await Deno.mkdir(`${dir}/a`);
  await Deno.writeTextFile(`${dir}/a/results.json`, JSON.stringify({ records }));
  const changed = records.map((r, i) =>
    i === 0 ? { ...r, correct: r.correct - 150, accuracy: r.accuracy - 0.3 } : r
  )
    .filter((r) => r.model !== "visual");
  await Deno.writeTextFile(`${dir}/b.json`, JSON.stringify({ records: changed }));
  const visual = records.filter((r) => r.model === "visual").length;

  await t.step("identical sets: nothing beyond noise, nothing unmatched", async () => {
    const run = await compare([`${dir}/a`, `${dir}/a/results.json`]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`0 of ${records.length} matched cells differ beyond noise; 0 only in A, 0 only in B`),
    );
    assert.match(run.stdout, /p < 0\.05/);
  });
  await t.step(
    "a 30-point change on 500 samples is beyond noise; the dropped model is only in A",
    async () => {
      const run = await compare([`${dir}/a`, `${dir}/b.json`, "--markdown"]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(
        run.stdout,
        new RegExp(
          `1 of ${
            records.length - visual
          } matched cells differ beyond noise; ${visual} only in A, 0 only in B`,
        ),
      );
      assert.match(run.stdout, /\| -30\.0 \| <0\.001 \| \*\*yes\*\* \|/);
      assert.match(run.stdout, new RegExp(`### Only in A \\(${visual}\\)`));
      assert.match(run.stdout, /\| attack \| d1 \| visual \|/);
    },
  );
  await t.step("a bad file: exit 1, one line naming it", async () => {
    await Deno.writeTextFile(`${dir}/bad.json`, "{ not json");
    const run = await compare([`${dir}/a`, `${dir}/bad.json`]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    assert.match(run.stderr, /Cannot read results: not valid JSON .*bad\.json$/m);
  });
  await t.step("bad flags and arguments: exit 2 before reading anything", async () => {
    for (
      const [args, expected] of [
        [[`${dir}/a`], /give two result sets/],
        [[`${dir}/a`, `${dir}/a`, `${dir}/a`], /give two result sets/],
        [[`${dir}/a`, `${dir}/nope`, "--alpha", "0.9"], /--alpha must be a number > 0 and <= 0\.5/],
        [[`${dir}/a`, `${dir}/a`, "--no-such-flag"], /no-such-flag/],
      ] as const
    ) {
      const run = await compare([...args]);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
      assert.match(run.stderr, expected);
    }
  });
});
