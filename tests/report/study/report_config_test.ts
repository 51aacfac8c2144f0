import assert from "node:assert/strict";
import { profileNotes } from "../../../lib/report/page/profile_notes.ts";
import { REPORT_PROFILES, resolveReportConfig } from "../../../lib/report/study/report_config.ts";
import { knownModelIds } from "../../../lib/report/study/model_ids.ts";

Deno.test("resolveReportConfig() builds the smoke profile on the smoke size of av-digits", () => {
  const config = resolveReportConfig({ profile: "smoke" });
  assert.deepEqual(config.datasets, [{ source: "builtin", name: "av-digits", size: "smoke", seed: 0 }]);
  assert.equal(config.train.epochs, 1);
  assert.ok(config.models.some((m) => m.kind === "audio") && config.models.some((m) => m.kind === "visual"));
  assert.ok(
    config.models.filter((m) => m.kind === "av").length >= 2,
    "two fusions so that claim 3 is measured",
  );
});

Deno.test("resolveReportConfig() builds the default profile on both built-in datasets", () => {
  const config = resolveReportConfig();
  assert.equal(config.profile, "default");
  assert.deepEqual(config.datasets.map((d) => [d.name, d.source === "builtin" ? d.size : "?"]), [
    ["av-digits", "default"],
    ["av-instruments", "default"],
  ]);
});

Deno.test("resolveReportConfig() takes named datasets, a seed and a backend", () => {
  const config = resolveReportConfig({
    profile: "smoke",
    datasets: ["av-instruments"],
    seed: 7,
    backend: "cpu",
  });
  assert.deepEqual(config.datasets.map((d) => d.name), ["av-instruments"]);
  assert.deepEqual([config.seed, config.backend], [7, "cpu"]);
});

Deno.test("resolveReportConfig() returns a fresh copy each time", () => {
  const a = resolveReportConfig({ profile: "smoke" });
  a.models.pop();
  assert.equal(resolveReportConfig({ profile: "smoke" }).models.length, REPORT_PROFILES.smoke.models.length);
});

Deno.test("resolveReportConfig() explains what the paper profile needs", async (t) => {
  await t.step("no data root", () => {
    assert.throws(() => resolveReportConfig({ profile: "paper" }), {
      name: "RangeError",
      message: /--data-root.*--layout csv/,
    });
  });
  await t.step("another layout", () => {
    assert.throws(() => resolveReportConfig({ profile: "paper", dataRoot: "/data/x", layout: "videos" }), {
      name: "RangeError",
      message: /--layout must be 'csv', current value is 'videos'/,
    });
  });
  await t.step("a valid request", () => {
    const config = resolveReportConfig({ profile: "paper", dataRoot: "/data/MUSIC/", layout: "csv" });
    assert.deepEqual(config.datasets, [
      {
        source: "csv",
        name: "MUSIC",
        root: "/data/MUSIC",
        audioLength: 65535,
        imageSize: 224,
        skipBroken: false,
      },
    ]);
    assert.equal(config.model.preset, "paper");
  });
});

Deno.test("resolveReportConfig() rejects unknown profiles, datasets and misplaced data roots", () => {
  assert.throws(() => resolveReportConfig({ profile: "huge" as "smoke" }), {
    name: "RangeError",
    message: /one of smoke, default, full, paper, current value is 'huge'/,
  });
  assert.throws(() => resolveReportConfig({ profile: "smoke", datasets: ["mnist"] }), {
    name: "RangeError",
    message: /unknown built-in dataset 'mnist', known: av-digits, av-instruments/,
  });
  assert.throws(() => resolveReportConfig({ profile: "smoke", dataRoot: "/x" }), /needs --profile paper/);
  assert.throws(() => resolveReportConfig({ seed: 1.5 }), /seed must be an integer/);
  assert.throws(() => resolveReportConfig({ models: ["av-nope"] }), /Unknown model 'av-nope'/);
  assert.throws(() => resolveReportConfig({ attacks: ["nope"] }), /unknown attack 'nope'/);
  assert.throws(() => resolveReportConfig({ samples: 0 }), /samples must be a positive integer/);
  assert.throws(() => resolveReportConfig({ classes: ["a"] }), /--classes needs --profile paper/);
  const paper = resolveReportConfig({ profile: "paper", dataRoot: "/d", layout: "csv", classes: ["b", "a"] });
  assert.deepEqual(paper.datasets[0]?.source === "csv" && paper.datasets[0].classes, ["b", "a"]);
});

Deno.test("resolveReportConfig() applies model, attack, sample and epoch overrides", () => {
  const config = resolveReportConfig({
    profile: "full",
    models: ["visual", "av-late"],
    attacks: ["apgd", "pgd"],
    samples: 100,
    epochs: 2,
    batchSize: 16,
  });
  assert.deepEqual(config.models.map((m) => m.id), ["visual", "av-late"]);
  assert.equal(config.train.batchSize, 16);
  assert.throws(() => resolveReportConfig({ batchSize: 0 }), /batchSize must be a positive integer/);
  const weights = { path: "/w/resnet18.safetensors", sha256: "ab".repeat(32) };
  assert.throws(
    () => resolveReportConfig({ visualWeights: weights }),
    /only the paper profile's models have/,
  );
  const paper = resolveReportConfig({
    profile: "paper",
    dataRoot: "/data",
    layout: "csv",
    visualWeights: weights,
  });
  assert.deepEqual(paper.visualWeights, weights);
  assert.deepEqual(config.attack.attacks.map((a) => a.attack), ["apgd", "pgd"]);
  assert.equal(config.attack.samples, 100);
  assert.equal(config.attack.grid?.samples, 100);
  assert.equal(config.train.epochs, 2);
  const worst = resolveReportConfig({ profile: "smoke", attacks: ["fgsm", "pgd", "worstCase"] });
  assert.deepEqual(worst.attack.attacks.at(-1), {
    attack: "worstCase",
    options: { attacks: [{ attack: "fgsm" }, { attack: "pgd", options: { steps: 3 } }] },
  });
  assert.throws(() => resolveReportConfig({ attacks: ["worstCase"] }), /at least two other attacks/);
});

Deno.test("resolveReportConfig() takes models 'all', the iterative attacks' steps and the ε grid", () => {
  assert.deepEqual(resolveReportConfig({ models: ["all"] }).models.map((m) => m.id), knownModelIds());
  const config = resolveReportConfig({
    profile: "smoke",
    attacks: ["fgsm", "pgd", "worstCase"],
    steps: 7,
    epsilons: [0.02, 0.01, 0.02],
  });
  assert.deepEqual(config.attack.attacks, [
    { attack: "fgsm" },
    { attack: "pgd", options: { steps: 7 } },
    {
      attack: "worstCase",
      options: { attacks: [{ attack: "fgsm" }, { attack: "pgd", options: { steps: 7 } }] },
    },
  ]);
  assert.deepEqual(config.attack.grid?.values, [0, 0.01, 0.02]);
  assert.deepEqual(config.attack.grid?.attack, { attack: "pgd", options: { steps: 7 } });
  assert.throws(() => resolveReportConfig({ steps: 0 }), /steps must be a positive integer/);
  assert.throws(() => resolveReportConfig({ epsilons: [0] }), /need one above 0/);
  assert.throws(
    () => resolveReportConfig({ epsilons: [-1, 0.1] }),
    /must be a number >= 0, current value is -1/,
  );
});

Deno.test("the full profile is the README's study: six fusions, 1000 samples, attack seed 0", () => {
  const config = resolveReportConfig({ profile: "full" });
  assert.deepEqual(config.models.map((m) => m.id), [
    "audio",
    "visual",
    "av-concat",
    "av-sum",
    "av-film",
    "av-gated",
    "av-attention",
    "av-late",
  ]);
  assert.deepEqual([config.attack.samples, config.attack.seed, config.seed], [1000, 0, 1234]);
  assert.deepEqual(config.datasets.map((d) => d.name), ["av-digits", "av-instruments"]);
});

Deno.test("profileNotes() says what each profile measures", () => {
  assert.match(
    profileNotes(resolveReportConfig({ profile: "smoke" })).join(" "),
    /say nothing about the paper/,
  );
  assert.match(profileNotes(resolveReportConfig()).join(" "), /stand in for MUSIC/);
});

Deno.test("resolveReportConfig() takes the adversarial examples' count and attack", () => {
  const smoke = resolveReportConfig({ profile: "smoke" });
  const plan = (request: Parameters<typeof resolveReportConfig>[0]) =>
    resolveReportConfig({ profile: "smoke", ...request }).attack.examples;
  assert.deepEqual(plan({}), smoke.attack.examples, "no override: the profile's plan");
  assert.equal(plan({ examples: 0 }), null);
  assert.deepEqual(plan({ examples: 1, examplesAttack: "fgsm" }), {
    model: "av-concat",
    samples: 1,
    attack: { attack: "fgsm" },
  });
  assert.throws(() => plan({ examples: -1 }), /examples must be an integer >= 0, current value is -1/);
  assert.throws(
    () => plan({ examplesAttack: "worstCase" }),
    /unknown examples attack 'worstCase', known: fgsm/,
  );
  assert.throws(() => plan({ examples: 0, examplesAttack: "pgd" }), /needs examples, but examples is 0/);
});
