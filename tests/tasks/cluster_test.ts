import assert from "node:assert/strict";

const CLUSTER = new URL("../../tasks/cluster.ts", import.meta.url).pathname;
const REPORT = new URL("../../tasks/report.ts", import.meta.url).pathname;
const SMOKE = ["--profile", "smoke", "--models", "audio,av-concat"];

async function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await new Deno.Command(command, {
    args,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output().catch(() => ({ code: 127, stdout: new Uint8Array(), stderr: new Uint8Array() }));
  return { code, out: new TextDecoder().decode(stdout), err: new TextDecoder().decode(stderr) };
}

const deno = (script: string, args: string[]) => run(Deno.execPath(), ["run", "-A", script, ...args]);

/** Why SLURM cannot be used here, or null when `sinfo` answers with an idle node. */
async function slurmProblem(): Promise<string | null> {
  if (!Deno.env.get("SLURM_CONF")) return "SLURM_CONF is not set (.ci/run starts a one-node cluster)";
  const sinfo = await run("sinfo", ["-h", "-o", "%T"]);
  if (sinfo.code !== 0) return `sinfo failed: ${sinfo.err.trim().split("\n")[0]}`;
  return /idle|mixed|allocated/.test(sinfo.out) ? null : `no usable node (sinfo: ${sinfo.out.trim()})`;
}

const problem = await slurmProblem();
if (problem && Deno.env.get("AVROBUST_REQUIRE_SLURM") === "1") {
  throw new Error(`The SLURM test must run here (AVROBUST_REQUIRE_SLURM=1), but ${problem}`);
}
if (problem) console.warn(`skipping the SLURM test: ${problem}`);

Deno.test("cluster: usage errors exit 2, and check fails on another checkout", async () => {
  const noShards = await deno(CLUSTER, ["slurm", "--profile", "smoke"]);
  assert.equal(noShards.code, 2);
  assert.match(noShards.err, /--shards is required/);
  const k8s = await deno(CLUSTER, ["k8s", "--shards", "2"]);
  assert.equal(k8s.code, 2);
  assert.match(k8s.err, /--image is required/);
  const wrong = await deno(CLUSTER, ["check", "0".repeat(64)]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.err, /differs from the one that wrote the job files/);
});

Deno.test({
  name: "cluster: a 2-shard SLURM array plus the chained merge gives the single-process results",
  ignore: problem !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "avrobust-slurm-" });
    const submitted = await deno(CLUSTER, [
      "slurm",
      "--shards",
      "2",
      ...SMOKE,
      "--cache-dir",
      `${root}/cache`,
      "--out",
      `${root}/sharded`,
      "--submit",
    ]);
    assert.equal(submitted.code, 0, submitted.err);
    const ids = /shards job (\d+), merge job (\d+)/.exec(submitted.out);
    assert.ok(ids, submitted.out);
    const single = await deno(REPORT, [
      ...SMOKE,
      "--jobs",
      "1",
      "--cache-dir",
      `${root}/single-cache`,
      "--out",
      `${root}/single`,
    ]);
    assert.equal(single.code, 0, single.err);
    // Wait for the merge job to leave the queue (at most 5 minutes).
    for (let i = 0; i < 600; i++) {
      const queue = await run("squeue", ["-h", "-j", `${ids[1]},${ids[2]}`, "-o", "%i"]);
      if (queue.out.trim() === "") break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const log = await Deno.readTextFile(`${root}/cache/logs/merge.log`).catch(() => "(no merge log)");
    const read = async (dir: string) =>
      JSON.parse(
        await Deno.readTextFile(`${dir}/smoke/results.json`),
        (k, v) => (k === "seconds" ? undefined : v),
      );
    const sharded = await read(`${root}/sharded`).catch((error) => {
      throw new Error(`The merge wrote no results: ${error.message}\n${log}`);
    });
    assert.deepEqual(sharded, await read(`${root}/single`));
    for (const shard of [0, 1]) {
      assert.match(await Deno.readTextFile(`${root}/cache/logs/shard-${shard}.log`), /checkout \w+ matches/);
    }
    await Deno.remove(root, { recursive: true });
  },
});
