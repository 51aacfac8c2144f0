import assert from "node:assert/strict";
import type { Interval } from "../../../lib/localize/mod.ts";
import {
  localizationBaselineCheck,
  localizationTableMarkdown,
  localizationVerdict,
} from "../../../lib/report/study/localization_table.ts";
import type { LocalizeRecord } from "../../../lib/report/study/localize_stage.ts";

const at = (value: number, spread = 0.05): Interval => ({ value, low: value - spread, high: value + spread });

function row(overrides: Partial<LocalizeRecord>): LocalizeRecord {
  return {
    dataset: "av-instruments",
    localizer: "attention",
    attack: "none",
    attackLabel: "none",
    setting: "clean",
    epsAudio: 0,
    epsVisual: 0,
    samples: 10,
    boxed: 10,
    accuracy: 0.9,
    ap50: at(0.6),
    meanCiou: at(0.5),
    auc: at(0.5),
    pointing: at(0.8),
    oracleAp50: at(0.5),
    oracleMeanCiou: at(0.45),
    boxArea: 0.4,
    massInBox: at(0.6),
    peakShift: at(0),
    rankCorrelation: at(1),
    ...overrides,
  };
}

Deno.test("localizationTableMarkdown() prints intervals in percent and a dash for missing values", () => {
  const table = localizationTableMarkdown([
    row({}),
    row({ dataset: "av-digits", boxed: 0, rankCorrelation: { value: NaN, low: NaN, high: NaN } }),
  ]);
  assert.match(table, /\| 60\.0 \[55\.0, 65\.0\] \|/);
  const { ap50: _, ...noBox } = row({ dataset: "x" });
  assert.match(
    localizationTableMarkdown([noBox]),
    /\| x \| attention \| none \| clean \| 10 \(10\) \| 90\.0 \| – \|/,
  );
  assert.equal(localizationTableMarkdown([]), "");
});

Deno.test("localizationVerdict() says fooled only when a joint attack's AP50 interval lies below the clean one", () => {
  const joint = (value: number) =>
    row({
      attack: "pgd",
      attackLabel: "pgd",
      setting: "joint",
      epsAudio: 0.006,
      epsVisual: 0.006,
      ap50: at(value),
    });
  assert.match(localizationVerdict([row({}), joint(0.3)]), /instruments: \*\*fooled\*\*/);
  assert.match(localizationVerdict([row({}), joint(0.52)]), /instruments: \*\*not shown\*\*/);
  const { ap50: _, ...noBox } = row({ dataset: "av-digits", boxed: 0 });
  assert.match(localizationVerdict([noBox]), /digits: not measurable/);
});

Deno.test("localizationBaselineCheck() needs AP50 and AUC both beyond the baseline's interval", () => {
  const { ap50: _, ...unboxed } = row({ dataset: "av-digits", boxed: 0 });
  const text = localizationBaselineCheck([
    row({ ap50: at(0.8), auc: at(0.6, 0.02) }),
    row({ localizer: "centerPrior", ap50: at(0.4), auc: at(0.4, 0.02) }),
    // AP50 clear of attention's, AUC overlapping: not beaten.
    row({ localizer: "attentionSilent", ap50: at(0.5), auc: at(0.57, 0.02) }),
    unboxed,
  ]);
  assert.match(text, /Rule/);
  assert.match(text, /\*\*beats\*\* centerPrior \(AP50 40\.0 \[35\.0, 45\.0\]/);
  assert.match(text, /\*\*does not beat\*\* attentionSilent/);
  assert.doesNotMatch(text, /av-digits/);
  assert.equal(localizationBaselineCheck([unboxed]), "");
});

Deno.test("localizationTableMarkdown() states each setting's budget under the table, a visual one in pixels", () => {
  const attacked = (setting: "audio" | "joint", epsAudio: number, epsVisual: number) =>
    row({ attack: "pgd", attackLabel: "pgd", setting, epsAudio, epsVisual, visualStd: [0.5] });
  const table = localizationTableMarkdown([
    row({}),
    attacked("audio", 0.012, 0),
    attacked("joint", 0.006, 0.006),
  ]);
  assert.match(
    table,
    /\n\nBudgets \(L∞\): A-attack ε_a = 0\.012; AV-attack ε_a = 0\.006, ε_v = 0\.006 normalised = 0\.77\/255 per pixel\.$/,
  );
  assert.doesNotMatch(localizationTableMarkdown([row({})]), /Budgets/, "clean rows only: no budget to state");
});
