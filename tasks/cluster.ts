/**
 * `deno task cluster`: writes (and for SLURM, submits) the job files that run the study as shards on a
 * cluster over one shared cache, then render it with a merge job. `check HASH` is what every shard runs
 * first: it fails when the node's checkout differs from the one that wrote the job files (different code
 * would compute different cells). Exit status: 0 success, 1 failure, 2 usage error.
 *
 * @module
 */
import { resolve } from "node:path";
import { writeFileAtomic } from "../lib/cache/mod.ts";
import { booleanFlag, type Cli, integerFlag, type Parsed, runCli, stringFlag, UsageError } from "./_cli.ts";
import { ATTACK_FLAGS, STUDY_FLAGS, studyConfig, TRAIN_FLAGS } from "./_study.ts";
import {
  checkoutHash,
  kubernetesManifests,
  type ShardPlan,
  shellQuote,
  slurmScripts,
} from "./cluster/job_files.ts";

// The shards and the merge get --shard and --cached-only from the job files; --jobs does not apply.
const { jobs: _jobs, shard: _shard, "cached-only": _cachedOnly, ...SHARED_FLAGS } = STUDY_FLAGS;
const REPORT_FLAGS = { ...SHARED_FLAGS, ...TRAIN_FLAGS, ...ATTACK_FLAGS };
/** Flags that belong to the cluster files, never passed on to the shards. */
const OWN = new Set(["cache-dir"]);

const CLI: Cli = {
  command: "deno task cluster",
  usage: [
    "slurm --shards N [report options] [--submit] [--partition P --time T --mem M --cpus C]",
    "k8s --shards N --image IMAGE --pvc CLAIM --mount DIR [report options]",
    "check HASH",
  ],
  summary: "Writes the job files that run `deno task report` as N shards over one shared cache and then a\n" +
    "merge that renders the report from it (--cached-only): a SLURM job array plus a merge job chained with\n" +
    "--dependency=afterok (--submit submits both and prints the job ids), or a Kubernetes Indexed Job plus\n" +
    "a merge Job for kubectl apply. The checkout and the cache must be on a filesystem every node shares.",
  flags: {
    ...REPORT_FLAGS,
    out: { type: "string", value: "DIR", default: "reports", help: "where the merge writes the report" },
    shards: { type: "string", value: "N", help: "number of shards (array tasks, pods)" },
    "job-dir": { type: "string", value: "DIR", help: "where the job files go [default: <cache-dir>/jobs]" },
    deno: { type: "string", value: "PATH", help: "Deno on the nodes [default: this Deno's path]" },
    submit: { type: "boolean", help: "slurm: submit the array and the merge with sbatch, print the job ids" },
    partition: { type: "string", value: "P", help: "slurm: partition" },
    time: { type: "string", value: "T", help: "slurm: time limit per shard, e.g. 4:00:00" },
    mem: { type: "string", value: "M", help: "slurm: memory per shard, e.g. 8G" },
    cpus: { type: "string", value: "C", help: "slurm: CPUs per shard" },
    image: { type: "string", value: "IMAGE", help: "k8s: container image with Deno" },
    pvc: { type: "string", value: "CLAIM", help: "k8s: PersistentVolumeClaim holding checkout and cache" },
    mount: {
      type: "string",
      value: "DIR",
      help: "k8s: where the claim is mounted (same paths in every pod)",
    },
  },
  notes:
    "Every shard first runs `deno task cluster check HASH`, so a node with other code stops before work.",
};

/** The report flags the user gave (defaults left out), in flag-table order, for the shards' command. */
function reportArgs(parsed: Parsed): string[] {
  const args: string[] = [];
  for (const [name, flag] of Object.entries(REPORT_FLAGS)) {
    if (OWN.has(name)) continue;
    const value = parsed.values[name];
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      if (one === flag.default || one === false) continue;
      args.push(`--${name}`, ...(one === true ? [] : [String(one)]));
    }
  }
  return args;
}

function required(parsed: Parsed, name: string): string {
  const value = stringFlag(parsed, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

async function sbatch(path: string, dependency?: string): Promise<string> {
  const args = ["--parsable", ...(dependency ? [`--dependency=afterok:${dependency}`] : []), path];
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("sbatch", { args, stdout: "piped", stderr: "piped" }).output();
  } catch (error) {
    throw new Error(`Cannot submit ${path}: sbatch could not start (${(error as Error).message})`);
  }
  const text = new TextDecoder().decode(output.success ? output.stdout : output.stderr).trim();
  if (!output.success) throw new Error(`Cannot submit ${path}: sbatch said: ${text}`);
  return text.split(";")[0] ?? text;
}

await runCli(CLI, async (parsed, ready) => {
  const [kind, ...rest] = parsed.positionals;
  if (kind === "check") {
    if (rest.length !== 1) {
      throw new UsageError("check takes the checkout hash the job files were written with");
    }
    ready();
    const here = await checkoutHash();
    if (here !== rest[0]) {
      throw new Error(
        `Cannot run this shard: this node's checkout (${
          here.slice(0, 12)
        }) differs from the one that wrote ` +
          `the job files (${String(rest[0]).slice(0, 12)}); run every node on the same commit and files`,
      );
    }
    console.log(`checkout ${here.slice(0, 12)} matches`);
    return 0;
  }
  if (kind !== "slurm" && kind !== "k8s") {
    throw new UsageError(`the first argument must be slurm, k8s or check, current value is '${kind ?? ""}'`);
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  const shards = integerFlag(parsed, "shards", 1, 10_000);
  if (shards === undefined) throw new UsageError("--shards is required");
  await studyConfig(parsed); // every report flag checked here, before any file is written
  const cpus = integerFlag(parsed, "cpus", 1, 1024);
  const k8s = kind === "k8s"
    ? {
      image: required(parsed, "image"),
      volumeClaim: required(parsed, "pvc"),
      mountPath: required(parsed, "mount"),
    }
    : null;
  if (k8s && booleanFlag(parsed, "submit")) throw new UsageError("--submit is for slurm (use kubectl apply)");
  const cacheDir = resolve(stringFlag(parsed, "cache-dir") ?? ".cache/report");
  const jobDir = resolve(stringFlag(parsed, "job-dir") ?? `${cacheDir}/jobs`);
  ready();
  const plan: ShardPlan = {
    shards,
    reportArgs: reportArgs(parsed),
    repo: resolve(new URL("..", import.meta.url).pathname),
    cacheDir,
    outDir: resolve(stringFlag(parsed, "out") ?? "reports"),
    deno: stringFlag(parsed, "deno") ?? Deno.execPath(),
    checkout: await checkoutHash(),
  };
  await Deno.mkdir(`${cacheDir}/logs`, { recursive: true });
  if (k8s) {
    const files = kubernetesManifests(plan, k8s);
    await writeFileAtomic(`${jobDir}/shards.yaml`, files.shards);
    await writeFileAtomic(`${jobDir}/merge.yaml`, files.merge);
    console.log([
      `wrote ${jobDir}/shards.yaml (${shards} indexed pods) and ${jobDir}/merge.yaml`,
      `  kubectl apply -f ${shellQuote(`${jobDir}/shards.yaml`)}`,
      "  kubectl wait --for=condition=complete --timeout=-1s job/avrobust-shards",
      `  kubectl apply -f ${shellQuote(`${jobDir}/merge.yaml`)}`,
    ].join("\n"));
    return 0;
  }
  const given = (name: "partition" | "time" | "mem") => {
    const value = stringFlag(parsed, name);
    return value === undefined ? {} : { [name]: value };
  };
  const files = slurmScripts(plan, {
    ...given("partition"),
    ...given("time"),
    ...given("mem"),
    ...(cpus ? { cpus } : {}),
  });
  await writeFileAtomic(`${jobDir}/shards.sbatch`, files.shards);
  await writeFileAtomic(`${jobDir}/merge.sbatch`, files.merge);
  console.log(`wrote ${jobDir}/shards.sbatch (array 0-${shards - 1}) and ${jobDir}/merge.sbatch`);
  if (!booleanFlag(parsed, "submit")) {
    console.log(
      `  submit: id=$(sbatch --parsable ${shellQuote(`${jobDir}/shards.sbatch`)}) && ` +
        `sbatch --dependency=afterok:$id ${shellQuote(`${jobDir}/merge.sbatch`)}`,
    );
    return 0;
  }
  const array = await sbatch(`${jobDir}/shards.sbatch`);
  const merge = await sbatch(`${jobDir}/merge.sbatch`, array);
  console.log(`submitted: shards job ${array}, merge job ${merge} (after the shards succeed)`);
  return 0;
});
