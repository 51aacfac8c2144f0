import assert from "node:assert/strict";
import { join } from "node:path";
import { writeDatasetCard } from "../../../lib/data/inspect/dataset_card.ts";
import type { AvDataset, AvSplit } from "../../../lib/data/types.ts";
import { tempDir } from "../_fixtures.ts";

const HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"];

function split(labels: number[]): AvSplit {
  return {
    size: labels.length,
    labels: Int32Array.from(labels),
    sample: (index) =>
      Promise.resolve({
        id: `clips/<b>${index}</b>|x`,
        label: labels[index] ?? 0,
        audio: Float32Array.from({ length: 512 }, (_, i) => Math.sin(i / 3)),
        visual: new Float32Array(4 * 4 * 3).fill(0.5),
      }),
  };
}

Deno.test("writeDatasetCard() escapes user class names, the dataset name and clip ids in README.md", async () => {
  const dataset: AvDataset = {
    name: "<svg onload=alert(1)>",
    classes: HOSTILE,
    sampleRate: 8000,
    audioLength: 512,
    imageShape: [4, 4, 3],
    splits: { train: split([0, 1]), val: split([]), test: split([1, 0]) },
    hash: "0123abcd",
    skipped: [],
  };
  const dir = join(await tempDir(), "card");
  const card = await writeDatasetCard(dataset, dir);
  assert.deepEqual(card.classes, HOSTILE, "card.json keeps the names as data");
  const readme = await Deno.readTextFile(join(dir, "README.md"));
  assert.doesNotMatch(readme, /<(script|img|svg|b)\b/i);
  assert.match(readme, /\| &lt;script&gt;alert\\\(1\\\)&lt;\/script&gt; \| 1 \| 0 \| 1 \|/);
  assert.ok(readme.includes("&lt;img src=x onerror=alert\\(1\\)&gt;"));
  assert.ok(readme.includes("# Dataset card: &lt;svg onload=alert\\(1\\)&gt;"));
  assert.ok(readme.includes("clips/&lt;b&gt;0&lt;/b&gt;\\|x"));
  for (const example of card.examples) {
    assert.match(example.frame, /^frames\/\d_[A-Za-z0-9_-]+\.png$/);
  }
});
