/**
 * Provenance of a report: versions, machine, seeds, hashes and timings.
 *
 * @module
 */
import * as vega from "vega";
import * as vl from "vega-lite";
import { hashValue } from "../../cache/hash.ts";
import { currentBackend } from "../../engine/backend.ts";
import { tf } from "../../engine/tf.ts";
import type { PipelineResult } from "../types.ts";

/** What `provenance.json` holds. */
export interface Provenance {
  /** ISO time the report was written. */
  date: string;
  /** The command line. */
  command: string;
  /** Profile name. */
  profile: string;
  /** Hash of the resolved config (hex). */
  configHash: string;
  /** The resolved config itself. */
  config: unknown;
  /** Seeds used (from the config). */
  seeds: Record<string, number>;
  /** Versions of the runtime and libraries. */
  versions: Record<string, string>;
  /** The tensor backend that ran this process's stages (`null` when every stage came from the cache). */
  backend: { name: string; simd?: boolean; completedKernels: string[] } | null;
  /** The machine. */
  machine: { os: string; arch: string; cpus: number; memoryGiB: number | null };
  /** The git commit of the project and whether the tree had changes, where git is available. */
  git: { commit: string; dirty: boolean } | null;
  /** Per stage: status, key, code version, seconds, cells. */
  stages: PipelineResult["summary"];
  /** Seconds of the pipeline. */
  seconds: number;
}

/** Options of {@linkcode collectProvenance}. */
export interface ProvenanceOptions {
  /** The command line. */
  command: string;
  /** Profile name. */
  profile: string;
  /** The resolved config. */
  config: unknown;
  /** Seeds by purpose. */
  seeds: Record<string, number>;
  /** The pipeline run. */
  pipeline: PipelineResult;
  /** Folder to ask git about. @default the current directory */
  cwd?: string;
}

async function gitState(cwd: string): Promise<Provenance["git"]> {
  try {
    const run = async (args: string[]) => {
      const out = await new Deno.Command("git", { args, cwd, stdout: "piped", stderr: "null" }).output();
      if (!out.success) throw new Error("git failed");
      return new TextDecoder().decode(out.stdout).trim();
    };
    const commit = await run(["rev-parse", "HEAD"]);
    const status = await run(["status", "--porcelain", "--untracked-files=no"]);
    return { commit, dirty: status.length > 0 };
  } catch {
    return null;
  }
}

/**
 * Collects the provenance of a report run.
 *
 * @param options The command, config, seeds and pipeline run.
 * @returns A JSON-serialisable record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = await collectProvenance({ command: "x", profile: "smoke", config: {}, seeds: { train: 1 },
 *   pipeline: { results: {}, summary: [], seconds: 0 } });
 * assert.equal(p.versions.deno, Deno.version.deno);
 * ```
 */
export async function collectProvenance(options: ProvenanceOptions): Promise<Provenance> {
  const { command, profile, config, seeds, pipeline, cwd = Deno.cwd() } = options;
  const backend = currentBackend();
  let memoryGiB: number | null = null;
  try {
    memoryGiB = Math.round((Deno.systemMemoryInfo().total / 2 ** 30) * 10) / 10;
  } catch {
    memoryGiB = null;
  }
  return {
    date: new Date().toISOString(),
    command,
    profile,
    configHash: await hashValue(config),
    config,
    seeds,
    versions: {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
      "tfjs-core": tf.version_core,
      ...(backend?.versions ?? {}),
      vega: vega.version,
      "vega-lite": vl.version,
    },
    backend: backend
      ? {
        name: backend.name,
        ...(backend.simd === undefined ? {} : { simd: backend.simd }),
        completedKernels: backend.completedKernels,
      }
      : null,
    machine: { os: Deno.build.os, arch: Deno.build.arch, cpus: navigator.hardwareConcurrency, memoryGiB },
    git: await gitState(cwd),
    stages: pipeline.summary,
    seconds: pipeline.seconds,
  };
}
