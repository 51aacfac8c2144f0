import assert from "node:assert/strict";
import {
  paperDataset,
  PUBLISHED_RESULTS,
  publishedFootnote,
  publishedResult,
} from "../../lib/report/published_results.ts";

Deno.test("PUBLISHED_RESULTS holds only sourced numbers, each marked verified or not", () => {
  assert.ok(PUBLISHED_RESULTS.length > 0);
  for (const r of PUBLISHED_RESULTS) {
    assert.ok(r.source.length > 20, "a source");
    assert.equal(typeof r.verified, "boolean");
    assert.ok(r.accuracy > 0 && r.accuracy <= 100);
  }
  // The aggregator's three clean audio-visual accuracies, not checked against the PDF.
  const clean = Object.fromEntries(PUBLISHED_RESULTS.map((r) => [r.dataset, r.accuracy]));
  assert.deepEqual(clean, { ave: 71.39, music: 91.35, "kinetics-sounds": 72.71 });
  assert.ok(PUBLISHED_RESULTS.every((r) => !r.verified && /secondary source/.test(r.source)));
});

Deno.test("paperDataset() knows the paper's datasets by their usual names, and nothing else", () => {
  for (
    const [name, dataset] of [["AVE", "ave"], ["mit_music", "music"], ["Kinetics Sounds", "kinetics-sounds"]]
  ) {
    assert.equal(paperDataset(name ?? ""), dataset, name);
  }
  for (const name of ["av-digits", "av-instruments", "my-ave-copy", ""]) {
    assert.equal(paperDataset(name), undefined);
  }
});

Deno.test("publishedResult() matches dataset, model and setting", () => {
  const clean = { model: "av-concat", setting: "clean" as const, attack: "none" };
  assert.equal(publishedResult("kinetics-sounds", clean)?.accuracy, 72.71);
  assert.equal(publishedResult("ks", { ...clean, model: "av-sum" }), undefined);
  assert.equal(publishedResult("ave", { ...clean, setting: "joint", attack: "pgd" }), undefined);
  assert.equal(publishedResult("av-digits", clean), undefined);
  assert.match(
    publishedFootnote(PUBLISHED_RESULTS),
    /^† Unverified: .*not checked against the paper's PDF\.$/,
  );
  assert.equal(publishedFootnote([]), "");
});
