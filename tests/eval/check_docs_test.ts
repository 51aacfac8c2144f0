import assert from "node:assert/strict";
import { CHECK_DOCS } from "../../lib/eval/check_docs.ts";
import type { CheckId } from "../../lib/eval/types.ts";

Deno.test("every check id has a doc entry that says when it is raised and what to do", () => {
  const ids: CheckId[] = [
    "budget",
    "range",
    "finite",
    "loss-increase",
    "zero-budget",
    "zero-gradient",
    "deterministic",
    "logits",
    "stronger-weaker",
    "monotone-epsilon",
    "ensemble",
  ];
  assert.deepEqual(Object.keys(CHECK_DOCS).sort(), [...ids].sort());
  for (const id of ids) {
    assert.match(CHECK_DOCS[id].raisedIf, /^Raised if /);
    assert.ok(CHECK_DOCS[id].whatToDo.length > 10);
  }
});
