import assert from "node:assert/strict";
import { type Budget, DEFENSE_BUDGETS } from "../../../lib/attacks/mod.ts";
import { partitionCells } from "../../../lib/report/pipeline/cell_partition.ts";
import { cellOwner } from "../../../lib/report/pipeline/cell_scheduler.ts";
import { CELL_COSTS } from "../../../lib/report/study/cell_costs.ts";
import { DEFENSE_PLANS, type DefensePlan } from "../../../lib/report/study/defense_plan.ts";
import { resolveReportConfig } from "../../../lib/report/study/report_config.ts";
import { type IssuedCell, recordedCells } from "./_recorded_cells.ts";

const SIZES = { train: 120, val: 40, test: 40 };
const PLAN = DEFENSE_PLANS.default as DefensePlan;

Deno.test("CELL_COSTS counts passes: steps × restarts, a worst case's members, Square's forward passes", () => {
  assert.equal(CELL_COSTS.attack({ attack: "fgsm" }), 1);
  assert.equal(CELL_COSTS.attack({ attack: "pgd", options: { steps: 20, restarts: 2 } }), 40);
  assert.equal(CELL_COSTS.attack({ attack: "apgd" }), 100);
  assert.ok(Math.abs(CELL_COSTS.attack({ attack: "square", options: { queries: 300 } }) - 100) < 1e-9);
  const members = [{ attack: "fgsm" as const }, { attack: "pgd" as const }];
  assert.equal(CELL_COSTS.attack({ attack: "worstCase", options: { attacks: members } }), 11);
});

Deno.test("CELL_COSTS: more epochs, samples, steps or ISTA iterations cost more; an av model more than a unimodal one", () => {
  const train = (epochs: number, kind: "audio" | "visual" | "av" = "av") =>
    CELL_COSTS.train({ kind, train: { preset: "small", epochs }, sizes: SIZES });
  assert.ok(Math.abs(train(6) - 2 * train(4) + train(2)) < 1e-6, "linear in epochs");
  assert.ok(train(2, "av") > train(2, "audio") && train(2, "audio") > train(2, "visual"));
  // Without epochs, the preset's (small: 6).
  assert.equal(CELL_COSTS.train({ kind: "av", train: { preset: "small" }, sizes: SIZES }), train(6));
  const fineTune = (memory: DefensePlan["memory"] | null, adversarialSteps: number) =>
    CELL_COSTS.fineTune({ kind: "av", train: { epochs: 1 }, sizes: SIZES, memory, adversarialSteps });
  assert.ok(fineTune(null, 3) > fineTune(null, 0), "adversarial training: PGD steps per batch");
  assert.ok(fineTune(PLAN.memory, 0) > fineTune({ ...PLAN.memory, size: 64 }, 0), "a larger bank costs more");
  assert.ok(fineTune({ ...PLAN.memory, size: 64 }, 0) > fineTune(null, 0), "ISTA in the loop");

  const budgets = [DEFENSE_BUDGETS.audioOnly, DEFENSE_BUDGETS.joint];
  const sweep = (samples: number, steps: number) =>
    CELL_COSTS.sweep("av", [{ attacks: [{ attack: "pgd", options: { steps } }], budgets, samples }]);
  assert.ok(Math.abs(sweep(30, 10) - 2 * sweep(20, 10) + sweep(10, 10)) < 1e-6, "linear in samples");
  assert.ok(sweep(10, 20) > sweep(10, 10));
  const clean = { norm: "linf" as const, audio: 0, visual: 0 };
  const apgd = (budget: Budget) =>
    CELL_COSTS.sweep("av", [{ attacks: [{ attack: "apgd" }], budgets: [budget], samples: 10 }]);
  assert.ok(apgd(clean) < apgd(DEFENSE_BUDGETS.joint) / 2, "a zero budget takes no steps");
  assert.ok(
    CELL_COSTS.sweep("audio", [{ attacks: [{ attack: "pgd" }], budgets, samples: 10 }]) < sweep(10, 10),
  );

  const cell = (memory: DefensePlan["memory"] | null, full: boolean) =>
    CELL_COSTS.defense(PLAN, { memory, samples: 20, budgets: [{ sanity: full, full }] });
  assert.ok(cell(PLAN.memory, true) > cell(null, true), "ISTA and BPDA cost more");
  assert.ok(cell(null, true) > cell(null, false), "the full battery costs more than the reduced one");
  assert.ok(cell({ ...PLAN.memory, maxIterations: 100 }, false) > cell(PLAN.memory, false));
});

/** Each distinct cell once (a cell asked for twice is one cell). */
function distinct(cells: readonly IssuedCell[]): IssuedCell[] {
  return [...new Map(cells.map((cell) => [cell.key, cell])).values()];
}

function largestLoad(cells: readonly IssuedCell[], owners: readonly number[], count: number): number {
  const loads = new Array<number>(count).fill(0);
  cells.forEach((cell, i) => {
    const owner = owners[i] ?? 0;
    loads[owner] = (loads[owner] ?? 0) + cell.cost;
  });
  return Math.max(...loads);
}

const names = (cells: readonly { namespace: string; label: string }[]) =>
  [...new Set(cells.map((c) => `${c.namespace} ${c.label}`))].sort();

Deno.test("each profile's stages declare every cell they issue in one batch, one label per cell", async () => {
  for (const profile of ["smoke", "default", "full"] as const) {
    const stages = await recordedCells(resolveReportConfig({ profile }));
    assert.deepEqual(stages.map((s) => s.stage), ["train", "attack", "localize", "defense"]);
    for (const { stage, declared, issued } of stages) {
      assert.deepEqual(names(issued), names(declared), `${profile} ${stage}: what was declared was issued`);
      assert.equal(names(issued).length, distinct(issued).length, `${profile} ${stage}: one label per cell`);
    }
  }
});

Deno.test("the smoke profile on two shards: each stage's batch splits more evenly by cost than by key", async () => {
  const stages = await recordedCells(resolveReportConfig({ profile: "smoke" }));
  let byCost = 0;
  let byKey = 0;
  for (const { stage, issued } of stages) {
    const cells = distinct(issued);
    const total = cells.reduce((sum, cell) => sum + cell.cost, 0);
    const bound = Math.max(total / 2, ...cells.map((cell) => cell.cost));
    const lpt = largestLoad(cells, partitionCells(cells, 2), 2);
    const hash = largestLoad(cells, cells.map((cell) => cellOwner(cell.key, 2)), 2);
    assert.ok(lpt <= 1.1 * bound, `${stage}: ${lpt} against a lower bound of ${bound}`);
    byCost += lpt;
    byKey += hash;
  }
  // Stages run one after the other, so the run takes about the sum of each stage's largest load.
  assert.ok(byCost < byKey, `by cost ${byCost}, by key ${byKey}`);
});
