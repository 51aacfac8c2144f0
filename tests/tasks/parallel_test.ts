import assert from "node:assert/strict";

const FLAGS = ["--profile", "smoke", "--models", "audio,av-concat"];

async function report(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../tasks/report.ts", import.meta.url).pathname, ...FLAGS, ...args],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

/** The summary's cell counts per stage: [cached, computed]. */
function cellCounts(stdout: string): [number, number][] {
  return [...stdout.matchAll(/cells +(\d+) cached +(\d+) computed/g)].map((
    m,
  ) => [Number(m[1]), Number(m[2])]);
}

/** `results.json` without the wall-clock times, which differ run to run. */
async function results(out: string): Promise<unknown> {
  const text = await Deno.readTextFile(`${out}/smoke/results.json`);
  return JSON.parse(text, (key, value) => (key === "seconds" ? undefined : value));
}

Deno.test({
  name: "report: --jobs 1, --jobs 2 and two shards + a --cached-only merge give identical results",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "avrobust-parallel-" });
    const one = await report(["--jobs", "1", "--cache-dir", `${root}/c1`, "--out", `${root}/r1`]);
    assert.equal(one.code, 0, one.stderr);
    const two = await report(["--jobs", "2", "--cache-dir", `${root}/c2`, "--out", `${root}/r2`]);
    assert.equal(two.code, 0, two.stderr);
    assert.match(two.stderr, /1 worker process started/);
    // An empty cache: every cell was computed in the run (here or by the worker), none came from the cache.
    for (const run of [one, two]) {
      assert.equal(cellCounts(run.stdout).length, 5, run.stdout);
      assert.ok(cellCounts(run.stdout).every(([cached]) => cached === 0), run.stdout);
    }
    assert.deepEqual(cellCounts(two.stdout), cellCounts(one.stdout), "the same cells, whoever computed them");
    // An empty cache cannot be rendered from alone: what is missing is named, nothing built or computed.
    const early = await report(["--cached-only", "--cache-dir", `${root}/c3`, "--out", `${root}/r3`]);
    assert.equal(early.code, 1);
    assert.match(
      early.stderr,
      /Cannot render from the cache only: data-av-digits \(not built yet\) is missing/,
    );
    const built = await Deno.stat(`${root}/c3/data/builtin`).then(() => true, () => false);
    assert.equal(built, false, "no dataset built");
    const shards = await Promise.all(
      ["0/2", "1/2"].map((shard) => report(["--shard", shard, "--cache-dir", `${root}/c3`])),
    );
    for (const [i, shard] of shards.entries()) {
      assert.equal(shard.code, 0, shard.stderr);
      assert.match(shard.stderr, new RegExp(`shard ${i}/2 done: \\d+ cells computed`));
    }
    const merge = await report(["--cached-only", "--cache-dir", `${root}/c3`, "--out", `${root}/r3`]);
    assert.equal(merge.code, 0, merge.stderr);
    // The shards computed every cell in runs of their own: the merge found them all cached.
    assert.ok(cellCounts(merge.stdout).every(([, computed]) => computed === 0), merge.stdout);
    const expected = await results(`${root}/r1`);
    assert.deepEqual(await results(`${root}/r2`), expected);
    assert.deepEqual(await results(`${root}/r3`), expected);
    await Deno.remove(root, { recursive: true });
  },
});
