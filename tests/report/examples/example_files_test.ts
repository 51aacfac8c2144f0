import assert from "node:assert/strict";
import { decodeWav } from "../../../lib/data/mod.ts";
import { exampleFiles } from "../../../lib/report/examples/example_files.ts";
import { HOSTILE } from "../_fixtures.ts";
import { exampleSet, LENGTH } from "./_fixtures.ts";

Deno.test("exampleFiles() lays out WAVs, spectrograms and frames per sample under examples/, with an index", () => {
  const files = exampleFiles([exampleSet()]);
  const paths = files.map((f) => f.path);
  assert.equal(paths.length, 2 * 15 + 2);
  assert.ok(paths.every((p) => p.startsWith("examples/")));
  assert.equal(new Set(paths).size, paths.length, "no path twice");
  assert.deepEqual(paths.slice(-2), ["examples/index.json", "examples/index.html"]);
  const wav = files.find((f) => f.path === "examples/toy/02-test-1/joint-adversarial.wav");
  assert.ok(wav?.data instanceof Uint8Array);
  assert.equal(decodeWav(wav.data, "w.wav").samples.length, LENGTH);

  const index = JSON.parse(String(files.find((f) => f.path === "examples/index.json")?.data));
  const [sample] = index.sets[0].samples;
  assert.deepEqual([sample.id, sample.label, sample.folder], ["test/0", "zero", "toy/01-test-0"]);
  assert.deepEqual(sample.rows.map((r: { predicted: string }) => r.predicted), [
    "zero",
    "zero",
    "zero",
    "two",
  ]);
  assert.ok(Math.abs(sample.rows[1].factors.audio - 0.5 / 0.012) < 0.01);
  for (const each of index.sets[0].samples) {
    for (const row of each.rows) {
      for (const file of row.files) {
        assert.ok(paths.includes(`examples/${each.folder}/${file.file}`), file.file);
      }
    }
  }
  const page = String(files.find((f) => f.path === "examples/index.html")?.data);
  assert.match(page, /^<!DOCTYPE html>/);
  assert.match(page, /src="toy\/01-test-0\/clean\.wav"/);
  for (const match of page.matchAll(/src="([^"]+)"/g)) {
    assert.ok(paths.includes(`examples/${match[1]}`), match[1]);
  }
});

Deno.test("exampleFiles() keeps hostile dataset and sample names inside examples/", () => {
  const set = exampleSet(["a", "b", "c"], "../../etc");
  set.samples[0] = { ...set.samples[0]!, id: HOSTILE[4] };
  for (const { path } of exampleFiles([set])) {
    assert.ok(!path.split("/").includes(".."), path);
    assert.match(path, /^examples\/[A-Za-z0-9._\/-]+$/);
  }
});

Deno.test("exampleFiles() writes nothing without samples", () => {
  assert.deepEqual(exampleFiles([{ ...exampleSet(), samples: [] }]), []);
});
