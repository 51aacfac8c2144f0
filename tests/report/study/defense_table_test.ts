import assert from "node:assert/strict";
import type { DefenseRecord } from "../../../lib/report/study/defense_stage.ts";
import { defenseTableMarkdown, defenseVerdict } from "../../../lib/report/study/defense_table.ts";

const interval = (value: number, width = 0.05) => ({ value, low: value - width, high: value + width });

function record(
  variant: DefenseRecord["variant"],
  setting: "clean" | "joint",
  accuracy: number,
): DefenseRecord {
  return {
    dataset: "d",
    defense: variant,
    variant,
    study: "table",
    ablation: null,
    setting,
    epsAudio: setting === "joint" ? 0.006 : 0,
    epsVisual: setting === "joint" ? 0.006 : 0,
    samples: 100,
    accuracy: interval(accuracy),
    attacks: setting === "joint" ? [{ label: "APGD margin", accuracy }] : [],
    worst: setting === "joint" ? "APGD margin" : null,
    flags: [],
  };
}

function study(paperClean: number, paperRobust: number): DefenseRecord[] {
  return [
    record("vanilla", "clean", 0.9),
    record("vanilla", "joint", 0.1),
    record("dissimilarityMemory", "clean", paperClean),
    record("dissimilarityMemory", "joint", paperRobust),
    record("adversarial", "clean", 0.8),
    record("adversarial", "joint", 0.5),
  ];
}

Deno.test("defenseVerdict() applies its stated rule: a robustness gain beyond the intervals at a small clean cost", async (t) => {
  await t.step("supported", () => {
    assert.match(defenseVerdict(study(0.89, 0.4)), /d: \*\*supported\*\*/);
  });
  await t.step("overlapping intervals", () => {
    assert.match(
      defenseVerdict(study(0.9, 0.15)),
      /not supported \(no robustness gain beyond the intervals\)/,
    );
  });
  await t.step("too costly on clean inputs", () => {
    assert.match(defenseVerdict(study(0.8, 0.4)), /not supported \(clean cost 10\.0 points\)/);
  });
  await t.step("the paper's defense missing", () => {
    assert.match(defenseVerdict(study(0.9, 0.4).slice(0, 2)), /not measured/);
  });
});

Deno.test("defenseTableMarkdown() prints clean and robust accuracy with intervals, the clean cost and the worst attack", () => {
  const table = defenseTableMarkdown(study(0.85, 0.4));
  assert.match(table, /Table 3 \(accuracy %, 100 test samples\)/);
  assert.match(
    table,
    /\| dissimilarityMemory \| 85\.0 \[80\.0, 90\.0\] \| 40\.0 \[35\.0, 45\.0\] \| 5\.0 \| APGD margin \| none \|/,
  );
  assert.equal(defenseTableMarkdown([]), "");
});

Deno.test("defenseTableMarkdown() states each visual budget with its pixel size for the model of the table", () => {
  const rows = study(0.85, 0.4).map((r) => ({ ...r, visualStd: [0.229, 0.224, 0.225] }));
  const header = defenseTableMarkdown(rows).split("\n").find((line) => line.startsWith("| defense")) ?? "";
  assert.ok(
    header.replaceAll("\\", "").includes(
      "AV (ε_a = 0.006, ε_v = 0.006 normalised = 0.34–0.35/255 per pixel) %",
    ),
    header,
  );
  assert.doesNotMatch(defenseTableMarkdown(study(0.85, 0.4)), /per pixel/, "no std kept: no pixel size");
});
