import assert from "node:assert/strict";
import {
  checkoutHash,
  kubernetesManifests,
  type ShardPlan,
  shellQuote,
  slurmScripts,
} from "../../../tasks/cluster/job_files.ts";

const PLAN: ShardPlan = {
  shards: 3,
  reportArgs: ["--profile", "default", "--dataset", "av digits"],
  repo: "/shared/avrobust",
  cacheDir: "/shared/cache",
  outDir: "/shared/reports",
  deno: "/opt/deno",
  checkout: "c0ffee",
};

Deno.test("slurmScripts() writes an array of one shard per task and a merge that only renders", () => {
  const { shards, merge } = slurmScripts(PLAN, { partition: "cpu", time: "4:00:00", mem: "8G", cpus: 2 });
  for (
    const line of [
      "#SBATCH --array=0-2",
      "#SBATCH --partition=cpu",
      "#SBATCH --time=4:00:00",
      "#SBATCH --mem=8G",
      "#SBATCH --cpus-per-task=2",
      "#SBATCH --output=/shared/cache/logs/shard-%a.log",
      "cd /shared/avrobust",
      "/opt/deno run -A tasks/cluster.ts check c0ffee",
    ]
  ) {
    assert.ok(shards.includes(line), `missing: ${line}`);
  }
  assert.match(
    shards,
    /tasks\/report\.ts --profile default --dataset 'av digits' --cache-dir \/shared\/cache --shard "\$SLURM_ARRAY_TASK_ID\/3"/,
  );
  assert.match(merge, /--cached-only --out \/shared\/reports/);
  assert.doesNotMatch(merge, /--array|--shard/);
  assert.doesNotMatch(slurmScripts(PLAN).shards, /--partition|--mem|--time|--cpus/);
});

Deno.test("kubernetesManifests() writes an Indexed Job with the shard from $JOB_COMPLETION_INDEX and a merge Job", () => {
  const { shards, merge } = kubernetesManifests(PLAN, {
    image: "denoland/deno:2.9.6",
    volumeClaim: "avrobust",
    mountPath: "/shared",
  });
  for (
    const line of [
      "completionMode: Indexed",
      "completions: 3",
      "parallelism: 3",
      "restartPolicy: Never",
      'claimName: "avrobust"',
      'workingDir: "/shared/avrobust"',
    ]
  ) {
    assert.ok(shards.includes(line), `missing: ${line}`);
  }
  assert.match(shards, /--shard \\"\$JOB_COMPLETION_INDEX\/3\\"/);
  assert.match(merge, /name: avrobust-merge/);
  assert.doesNotMatch(merge, /completionMode/);
});

Deno.test("shellQuote() leaves plain words alone and single-quotes the rest", () => {
  assert.equal(shellQuote("/a/b-c.ts"), "/a/b-c.ts");
  assert.equal(shellQuote("it's x"), `'it'\\''s x'`);
});

Deno.test("checkoutHash() is a stable hex hash of the study's code", async () => {
  const [a, b] = await Promise.all([checkoutHash(), checkoutHash()]);
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(a, b);
});
