import assert from "node:assert/strict";
import { summarizeChecks } from "../../../lib/report/study/check_summary.ts";
import { evalRecord } from "../_fixtures.ts";

Deno.test("summarizeChecks() counts passed and raised checks with their explanation and examples", () => {
  const ok = { id: "budget" as const, ok: true, detail: "fine" };
  const raised = { id: "budget" as const, ok: false, detail: "audio L∞ 0.02 > 0.01" };
  const summary = summarizeChecks([
    evalRecord({ checks: [ok, { id: "range", ok: true, detail: "" }] }),
    evalRecord({ checks: [raised], model: "audio", attackLabel: "mim(projection=asReleased)" }),
  ]);
  assert.deepEqual(summary.map((s) => [s.id, s.passed, s.flagged]), [["budget", 1, 1], ["range", 1, 0]]);
  const budget = summary[0];
  assert.match(budget?.raisedIf ?? "", /^Raised if/);
  assert.equal(budget?.examples.length, 1);
  assert.match(budget?.examples[0] ?? "", /audio, mim\(projection=asReleased\).*0\.02 > 0\.01/);
});

Deno.test("summarizeChecks() keeps at most the requested number of examples", () => {
  const raised = { id: "finite" as const, ok: false, detail: "NaN" };
  const summary = summarizeChecks(Array.from({ length: 9 }, () => evalRecord({ checks: [raised] })), {
    examples: 2,
  });
  assert.equal(summary[0]?.flagged, 9);
  assert.equal(summary[0]?.examples.length, 2);
});
