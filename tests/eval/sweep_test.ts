import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { runSweep, type SweepOptions, type SweepProgress } from "../../lib/eval/sweep.ts";
import type { EvalRecord } from "../../lib/eval/types.ts";
import { StateMismatchError } from "../../lib/eval/errors.ts";
import { fixtureSplit, linearModel, nonlinearModel } from "../attacks/_fixtures.ts";

await useBackend("wasm");

function setup(dir: string): SweepOptions {
  const model = nonlinearModel({ numClasses: 3, seed: 101 });
  const audioOnly = linearModel({ numClasses: 3, seed: 102, modalities: ["audio"] });
  const { split, shape } = fixtureSplit(model, { size: 10, seed: 103, labels: "random" });
  return {
    models: [{ name: "av", model }, { name: "audio-only", model: audioOnly }],
    data: { name: "fixture", hash: "fixture-1", split, shape },
    attacks: [
      { attack: "fgsm" },
      { attack: "pgd", options: { steps: 3 } },
      {
        attack: "worstCase",
        options: { attacks: [{ attack: "fgsm" }, { attack: "pgd", options: { steps: 3 } }] },
      },
    ],
    budgets: [
      { norm: "linf", audio: 0, visual: 0 },
      { norm: "linf", audio: 0.02, visual: 0 },
      { norm: "linf", audio: 0, visual: 0.02 },
      { norm: "linf", audio: 0.04, visual: 0 },
    ],
    n: 8,
    batchSize: 3,
    seed: 5,
    cacheDir: `${dir}/cache`,
    statePath: `${dir}/state.json`,
    codeVersion: "test",
  };
}

Deno.test("runSweep() writes one flat record per cell with metrics and checks", async () => {
  const dir = await Deno.makeTempDir();
  const records = await runSweep(setup(dir));
  // 3 attacks x 4 budgets for the AV model; the audio-only model skips the visual-only budget.
  assert.equal(records.length, 12 + 9);
  for (const r of records) {
    assert.equal(r.n, 8);
    assert.ok(r.robustAccuracy <= r.cleanAccuracy);
    assert.ok(r.audioLinfMax <= r.epsAudio + 1e-6 && r.visualLinfMax <= r.epsVisual + 1e-6);
    assert.equal(r.perSample.success.length, 8);
    assert.ok(r.checks.some((c) => c.id === "budget"));
    assert.deepEqual(r.flags, r.checks.filter((c) => !c.ok).map((c) => c.id));
    for (const value of Object.values(r)) {
      assert.ok(typeof value !== "object" || value === null || Array.isArray(value) || value === r.perSample);
    }
  }
  const clean = records.filter((r) => r.budgetKind === "clean");
  assert.ok(clean.every((r) => r.robustAccuracy === r.cleanAccuracy && !r.flags.includes("zero-budget")));
  const worst = records.find((r) => r.attack === "worstCase" && r.model === "av" && r.epsAudio === 0.04);
  const members = records.filter((r) => r.attack !== "worstCase" && r.model === "av" && r.epsAudio === 0.04);
  assert.ok(worst && worst.robustAccuracy <= Math.min(...members.map((r) => r.robustAccuracy)));
  assert.deepEqual(worst.ensemble, ["fgsm", "pgd(steps=3)"]);
  assert.equal(worst.ensembleAccuracies?.at(-1), worst.robustAccuracy);
  assert.equal(records.find((r) => r.model === "audio-only")?.cosineVisualMean, null);
});

Deno.test("runSweep() recomputes nothing on a re-run and resumes an interrupted sweep", async () => {
  const dir = await Deno.makeTempDir();
  const options = setup(dir);
  let finished = 0;
  await assert.rejects(() =>
    runSweep({
      ...options,
      cacheDir: `${dir}/other-cache`,
      onRecord: () => {
        if (++finished === 4) throw new Error("interrupted");
      },
    })
  );
  const statuses: SweepProgress["status"][] = [];
  const resumed = await runSweep({
    ...options,
    cacheDir: `${dir}/other-cache`,
    onProgress: (e) => statuses.push(e.status),
  });
  assert.equal(statuses.filter((s) => s === "resumed").length, 4);
  assert.equal(resumed.filter((r) => !r.cached).length, 21 - 4);
  await Deno.remove(options.statePath ?? "");
  const again: SweepProgress["status"][] = [];
  const cached = await runSweep({
    ...options,
    cacheDir: `${dir}/other-cache`,
    onProgress: (e) => again.push(e.status),
  });
  assert.ok(again.every((s) => s === "cached"));
  assert.deepEqual(cached.map((r) => r.robustAccuracy), resumed.map((r) => r.robustAccuracy));
});

Deno.test("runSweep() refuses to resume a state written for another configuration", async () => {
  const dir = await Deno.makeTempDir();
  const options = setup(dir);
  await runSweep({ ...options, budgets: options.budgets.slice(0, 1) });
  await assert.rejects(
    () => runSweep({ ...options, budgets: options.budgets.slice(0, 2) }),
    StateMismatchError,
    "another configuration",
  );
});

Deno.test("runSweep() frees every tensor it makes, the shared clean outputs included", async () => {
  const dir = await Deno.makeTempDir();
  const { cacheDir: _cache, statePath: _state, ...options } = setup(dir);
  const before = tf.memory().numTensors;
  await runSweep(options);
  assert.equal(tf.memory().numTensors, before);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("runSweep() keys cells by the code hash, by default the source hash of its closure", async () => {
  const dir = await Deno.makeTempDir();
  const { statePath: _state, ...options } = setup(dir);
  const small = { ...options, budgets: options.budgets.slice(0, 2), models: options.models.slice(0, 1) };
  const first = await runSweep(small);
  assert.ok(first.every((r) => !r.cached && r.codeVersion === "test"));
  const other = await runSweep({ ...small, codeVersion: "edited" });
  assert.ok(other.every((r) => !r.cached), "another code hash misses the cache");
  assert.notEqual(other[0]?.configHash, first[0]?.configHash);
  const { codeVersion: _code, ...byDefault } = small;
  const defaults = await runSweep(byDefault);
  assert.ok(defaults.every((r) => /^[0-9a-f]{64}$/.test(r.codeVersion)));
  assert.ok((await runSweep(byDefault)).every((r) => r.cached));
  await Deno.remove(dir, { recursive: true });
});

/** The eval-cell files of a cache, sorted. */
async function cellFiles(cacheDir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const sub of Deno.readDir(`${cacheDir}/eval-cell`)) {
    for await (const file of Deno.readDir(`${cacheDir}/eval-cell/${sub.name}`)) {
      files.push(`${cacheDir}/eval-cell/${sub.name}/${file.name}`);
    }
  }
  return files.sort();
}

Deno.test("runSweep() recomputes a cached cell that was edited, truncated or swapped, and warns", async () => {
  const dir = await Deno.makeTempDir();
  const { statePath: _state, ...options } = setup(dir);
  const small = { ...options, attacks: options.attacks.slice(0, 1), models: options.models.slice(0, 1) };
  const first = await runSweep(small);
  const files = await cellFiles(`${dir}/cache`);
  assert.equal(files.length, 4);
  const [edited, truncated, swapped, source] = files as [string, string, string, string];
  const envelope = JSON.parse(await Deno.readTextFile(edited));
  envelope.value.robustAccuracy = envelope.value.robustAccuracy === 1 ? 0.5 : 1;
  await Deno.writeTextFile(edited, JSON.stringify(envelope));
  const text = await Deno.readTextFile(truncated);
  await Deno.writeTextFile(truncated, text.slice(0, text.length - 20));
  await Deno.copyFile(source, swapped);
  const statuses: SweepProgress["status"][] = [];
  const warnings: string[] = [];
  const second = await runSweep({
    ...small,
    onProgress: (e) => statuses.push(e.status),
    onWarning: (message) => warnings.push(message),
  });
  assert.equal(statuses.filter((s) => s === "computed").length, 3, "the three damaged cells were recomputed");
  assert.equal(statuses.filter((s) => s === "cached").length, 1);
  assert.equal(warnings.length, 3);
  assert.ok(warnings.every((w) => /^cache entry eval-cell\/[0-9a-f]{12} failed its hash check/.test(w)));
  const measured = (r: EvalRecord) => [r.configHash, r.robustAccuracy, r.cleanAccuracy, r.perSample.success];
  assert.deepEqual(second.map(measured), first.map(measured), "recomputed values equal the originals");
  assert.ok((await runSweep(small)).every((r) => r.cached), "the cells were rewritten whole");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("runSweep() recomputes a resumed record that fails its hash check, and warns", async () => {
  const dir = await Deno.makeTempDir();
  const { cacheDir: _cache, ...options } = setup(dir);
  const small = { ...options, attacks: options.attacks.slice(0, 1), models: options.models.slice(0, 1) };
  const first = await runSweep(small);
  const statePath = small.statePath ?? "";
  const state = JSON.parse(await Deno.readTextFile(statePath));
  const [editedKey, swappedKey, otherKey] = Object.keys(state.records) as [string, string, string];
  state.records[editedKey].robustAccuracy += 0.125;
  state.records[swappedKey] = state.records[otherKey];
  await Deno.writeTextFile(statePath, JSON.stringify(state));
  const statuses: SweepProgress["status"][] = [];
  const warnings: string[] = [];
  const second = await runSweep({
    ...small,
    onProgress: (e) => statuses.push(e.status),
    onWarning: (message) => warnings.push(message),
  });
  assert.deepEqual(statuses.filter((s) => s === "computed").length, 2);
  assert.equal(warnings.length, 2);
  assert.ok(
    warnings.every((w) =>
      /^resume state entry [0-9a-f]{12} in .* failed its hash check; recomputing$/.test(w)
    ),
  );
  assert.deepEqual(second.map((r) => r.robustAccuracy), first.map((r) => r.robustAccuracy));
  await Deno.writeTextFile(statePath, "{ truncated");
  const fresh: string[] = [];
  await runSweep({ ...small, onWarning: (message) => fresh.push(message) });
  assert.match(fresh[0] ?? "", /is not valid JSON; starting the sweep over/);
  await Deno.remove(dir, { recursive: true });
});
