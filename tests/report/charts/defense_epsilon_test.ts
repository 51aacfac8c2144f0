import assert from "node:assert/strict";
import { defenseEpsilonChart } from "../../../lib/report/charts/defense_epsilon.ts";
import { assertValidChart, viewOf } from "./_chart_check.ts";

Deno.test("defenseEpsilonChart() draws one line per defense and attacked modality, ablations left out", async () => {
  const at = (value: number) => ({ value, low: value, high: value });
  const base = { dataset: "d", epsVisual: 0 } as const;
  const chart = defenseEpsilonChart([
    { ...base, defense: "vanilla", study: "table", setting: "clean", epsAudio: 0, accuracy: at(0.9) },
    { ...base, defense: "vanilla", study: "table", setting: "audio", epsAudio: 0.006, accuracy: at(0.2) },
    { ...base, defense: "vanilla", study: "sanity", setting: "joint", epsAudio: 0.5, accuracy: at(0) },
    { ...base, defense: "a = 0", study: "ablation", setting: "joint", epsAudio: 0.006, accuracy: at(0.1) },
  ]);
  assert.equal(chart.rows, 5);
  await assertValidChart(chart, ["dataset", "defense", "modality", "epsilon", "accuracy", "low", "high"]);
  assert.equal(viewOf(chart, "area").encoding.y?.field, "low", "a band of the bootstrap intervals");
});

Deno.test("defenseEpsilonChart() gives each visual ε with its pixel size for the model in the caption", () => {
  const at = (value: number) => ({ value, low: value, high: value });
  const row = { dataset: "d", defense: "vanilla", study: "table", epsAudio: 0, visualStd: [0.5] } as const;
  const chart = defenseEpsilonChart([
    { ...row, setting: "clean", epsVisual: 0, accuracy: at(0.9) },
    { ...row, setting: "visual", epsVisual: 0.012, accuracy: at(0.5) },
    { ...row, setting: "visual", epsVisual: 0.006, accuracy: at(0.7) },
  ]);
  assert.match(chart.title, /\(ε_v normalised: 0\.006 = 0\.77\/255, 0\.012 = 1\.53\/255 per pixel; bands/);
});
