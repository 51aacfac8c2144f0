import assert from "node:assert/strict";
import { attackKey, attackLabel, defaultAttack, findAttack } from "../../lib/report/attack_identity.ts";
import { resultsTable } from "../../lib/report/study/results_table.ts";
import { accuracyEpsilonChart } from "../../lib/report/charts/accuracy_epsilon.ts";
import type { ReportRecord } from "../../lib/report/types.ts";
import { fakeRecords } from "./_fixtures.ts";

Deno.test("attackLabel() derives the label from name and non-default options", () => {
  assert.equal(
    attackLabel({ attack: "mim", attackOptions: { projection: "asReleased" } }),
    "mim(projection=asReleased)",
  );
  assert.equal(attackLabel({ attack: "none", attackOptions: {} }), "none");
  assert.equal(
    attackLabel({ attack: "worstCase", attackOptions: { attacks: [{ attack: "fgsm", options: {} }] } }),
    "worstCase(fgsm)",
  );
});

Deno.test("a bare name matches a spec with non-default options, and two specs of one name stay apart", () => {
  const records = fakeRecords({ fusions: ["concat"], attacks: ["mim"] });
  const released: ReportRecord[] = records.map((r) =>
    r.attack === "none" ? r : { ...r, attackOptions: { projection: "asReleased" } }
  );
  assert.equal(findAttack(released, "mim"), 'mim{"projection":"asReleased"}');
  assert.match(resultsTable(released, { dataset: "d1", attack: "mim" }), /\| av\\-concat \| 90\.0 \[/);
  const both = [...records.filter((r) => r.attack !== "none"), ...released];
  assert.equal(new Set(both.filter((r) => r.attack !== "none").map(attackKey)).size, 2);
  assert.equal(defaultAttack(both), "mim");
  const chart = accuracyEpsilonChart(released, { attack: "mim" });
  assert.ok(chart.rows > 0);
  assert.match(chart.title, /mim\(projection=asReleased\)/);
});
