import assert from "node:assert/strict";
import { acceptance, trainingTableMarkdown } from "../../../lib/report/study/training_table.ts";
import type { TrainedModel } from "../../../lib/report/types.ts";

function model(model: string, kind: TrainedModel["kind"], testAccuracy: number): TrainedModel {
  return {
    dataset: "d<1>",
    datasetHash: "h",
    model,
    kind,
    fusion: kind === "av" ? "sum" : "none",
    key: "k",
    checkpoint: "c",
    checkpointHash: "c",
    bestEpoch: 1,
    valAccuracy: testAccuracy,
    testAccuracy,
    history: [],
    seconds: 2,
  };
}

Deno.test("acceptance() applies the bar: unimodal models in 55-85%, fusion at least 8 points above", () => {
  const ok = [model("audio", "audio", 0.6), model("visual", "visual", 0.7), model("av-sum", "av", 0.79)];
  assert.deepEqual(acceptance(ok, "d<1>")?.meets, true);
  const weak = [model("audio", "audio", 0.6), model("visual", "visual", 0.7), model("av-sum", "av", 0.75)];
  assert.equal(acceptance(weak, "d<1>")?.meets, false);
  const easy = [model("audio", "audio", 0.9), model("visual", "visual", 0.7), model("av-sum", "av", 0.99)];
  assert.equal(acceptance(easy, "d<1>")?.unimodalOk, false);
  assert.equal(acceptance(ok.slice(0, 2), "d<1>"), null);
});

Deno.test("trainingTableMarkdown() escapes labels and states the bar in whole percent", () => {
  const text = trainingTableMarkdown([
    model("audio", "audio", 0.6),
    model("visual", "visual", 0.7),
    model("av-sum", "av", 0.8),
  ]);
  assert.match(text, /### d&lt;1&gt;/);
  assert.match(text, /\| av\\-sum \| 0 \| 2 \| 80\.0 \| 80\.0 \| 2\.0 \|/, "no interval without split sizes");
  assert.match(text, /within 55–85%: yes/);
  assert.match(text, /10\.0 points above the better unimodal one: meets the 8-point bar/);
});

Deno.test("trainingTableMarkdown() prints Wilson intervals, and the paper's number on its dataset", () => {
  const sized = (m: TrainedModel, dataset = m.dataset): TrainedModel => ({
    ...m,
    dataset,
    samples: { val: 10, test: 10 },
  });
  const text = trainingTableMarkdown([
    sized(model("audio", "audio", 0.5)),
    sized(model("av-concat", "av", 0.8)),
  ]);
  assert.match(text, /\| audio \| 0 \| 2 \| 50\.0 \[23\.7, 76\.3\] \| 50\.0 \[23\.7, 76\.3\] \| 2\.0 \|/);
  assert.doesNotMatch(text, /paper/);
  const music = trainingTableMarkdown([sized(model("av-concat", "av", 0.9), "MUSIC")]);
  assert.match(music, /\| 90\.0 \[59\.6, 98\.2\]; paper 91\.35† \|/);
  assert.match(music, /† Unverified/);
});
