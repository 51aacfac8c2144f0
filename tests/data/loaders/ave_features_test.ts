import assert from "node:assert/strict";
import { join } from "node:path";
import {
  AVE_CLASSES_CVPR21,
  AVE_CLASSES_ECCV18,
  aveClassMapping,
} from "../../../lib/data/loaders/ave_classes.ts";
import { openAveFeatures } from "../../../lib/data/loaders/ave_features.ts";
import { DataFormatError } from "../../../lib/data/errors.ts";
import { tempDir, writeAveFeatures } from "../_fixtures.ts";

Deno.test("openAveFeatures() reads the splits and per-video slices of float64 and float32 features", async () => {
  const dir = await tempDir();
  await writeAveFeatures(dir);
  const ave = await openAveFeatures(dir);
  try {
    assert.equal(ave.videos, 12);
    assert.equal(ave.classes.length, 29);
    assert.equal(ave.classes[28], "background");
    assert.deepEqual([ave.splits.train.size, ave.splits.val.size, ave.splits.test.size], [8, 2, 2]);
    assert.deepEqual([...ave.splits.val.rows], [9, 8]);
    assert.deepEqual([...ave.splits.val.labels], [(9 * 5) % 28, (8 * 5) % 28]);
    const batch = await ave.splits.test.read([1, 0]);
    assert.equal(batch.audio.length, 2 * 10 * 128);
    assert.equal(batch.visual.length, 2 * 10 * 7 * 7 * 512);
    assert.equal(batch.labels.length, 2 * 10 * 29);
    // Position 1 of test is row 10: audio second 3 = 103, visual = 10.5.
    assert.equal(batch.audio[3 * 128 + 5], 103);
    assert.equal(batch.audio[10 * 128 + 3 * 128], 113);
    assert.equal(batch.visual[0], 10.5);
    assert.equal(batch.visual[10 * 7 * 7 * 512], 11.5);
    assert.equal(batch.labels[(10 * 5) % 28], 1);
    assert.equal(batch.labels[9 * 29 + 28], 1);
    await assert.rejects(ave.splits.test.read([2]), RangeError);
  } finally {
    ave.close();
  }
});

Deno.test("openAveFeatures() maps label columns to the CVPR21 order by name", async () => {
  const dir = await tempDir();
  const chainsaw = AVE_CLASSES_ECCV18.indexOf("Chainsaw");
  await writeAveFeatures(dir, { classOf: () => chainsaw });
  const ave = await openAveFeatures(dir, { classOrder: "cvpr21" });
  try {
    assert.deepEqual(ave.classes.slice(0, 28), [...AVE_CLASSES_CVPR21]);
    assert.equal(ave.splits.test.labels[0], 14);
    const { labels } = await ave.splits.test.read([0]);
    assert.equal(labels[14], 1);
    assert.equal(labels[21], 0);
  } finally {
    ave.close();
  }
});

Deno.test("aveClassMapping() matches AVE names across spellings and fails on unknown ones", () => {
  const map = aveClassMapping(
    ["Race car, auto racing", "Frying (food)", "Male speech, man speaking"],
    AVE_CLASSES_CVPR21,
  );
  assert.deepEqual([...map], [4, 10, 1]);
  assert.throws(() => aveClassMapping(["Didgeridoo"], AVE_CLASSES_CVPR21), /'Didgeridoo' has no counterpart/);
});

Deno.test("openAveFeatures() rejects a dataset of the wrong shape, naming the file", async () => {
  const dir = await tempDir();
  await writeAveFeatures(dir, { audioShape: [12, 10, 64] });
  await assert.rejects(
    openAveFeatures(dir),
    (e: unknown) =>
      e instanceof DataFormatError && e.path === join(dir, "audio_feature.h5") &&
      /shape must be \[N, 10, 128\], current value is \[12, 10, 64\]/.test(e.message),
  );
});

Deno.test("openAveFeatures() rejects missing and non-HDF5 files, naming them", async () => {
  const dir = await tempDir();
  await writeAveFeatures(dir);
  await Deno.writeTextFile(join(dir, "labels.h5"), "not hdf5");
  await assert.rejects(openAveFeatures(dir), /not in HDF5 format: .*labels\.h5/);
  await Deno.remove(join(dir, "labels.h5"));
  await assert.rejects(
    openAveFeatures(dir),
    (e: unknown) => e instanceof DataFormatError && e.path.endsWith("labels.h5"),
  );
});

Deno.test("openAveFeatures() rejects an order row out of range and an empty label row, or skips them", async () => {
  const dir = await tempDir();
  const orders = { train: [0, 1, 2, 3, 4, 5, 6, 7], val: [9, 8], test: [11, 40] };
  await writeAveFeatures(dir, { orders });
  await assert.rejects(openAveFeatures(dir), /row 40 is out of range \[0, 12\): .*test_order\.h5\[1\]/);
  const ave = await openAveFeatures(dir, { skipBroken: true });
  assert.equal(ave.splits.test.size, 1);
  assert.deepEqual(ave.skipped.map((s) => s.path), [join(dir, "test_order.h5[1]")]);
  ave.close();
  await writeAveFeatures(dir, { blankLabelRow: 3 });
  await assert.rejects(openAveFeatures(dir), /second 0 of video 3 has no label: .*labels\.h5#3/);
  const skipping = await openAveFeatures(dir, { skipBroken: true });
  assert.deepEqual([...skipping.splits.train.rows], [0, 1, 2, 4, 5, 6, 7]);
  assert.equal(skipping.skipped.length, 1);
  skipping.close();
});

Deno.test("openAveFeatures() rejects non-finite features with the file, video and count, or skips them", async () => {
  const dir = await tempDir();
  await writeAveFeatures(dir, { nanAudio: { row: 3, count: 3 } });
  const ave = await openAveFeatures(dir);
  try {
    await ave.splits.train.read([2]);
    await assert.rejects(
      ave.splits.train.read([3]),
      (e: unknown) =>
        e instanceof DataFormatError && e.path === `${join(dir, "audio_feature.h5")}#3` &&
        /video 3: 3 of 1280 values are not finite \(NaN or ±Infinity\)/.test(e.message),
    );
  } finally {
    ave.close();
  }
  const skipping = await openAveFeatures(dir, { skipBroken: true });
  assert.deepEqual([...skipping.splits.train.rows], [0, 1, 2, 4, 5, 6, 7]);
  assert.deepEqual(skipping.skipped.map((s) => s.path), [`${join(dir, "audio_feature.h5")}#3`]);
  skipping.close();
});

Deno.test("openAveFeatures() names a truncated HDF5 file and prints no HDF5 diagnostics", async () => {
  const dir = await tempDir();
  await writeAveFeatures(dir);
  const labels = join(dir, "labels.h5");
  const bytes = await Deno.readFile(labels);
  await Deno.writeFile(labels, bytes.subarray(0, Math.floor(bytes.length / 2)));
  await assert.rejects(
    openAveFeatures(dir),
    (e: unknown) =>
      e instanceof DataFormatError && e.path === labels &&
      /^Cannot open HDF5 file: truncated file: eof = \d+/.test(e.message),
  );
  // HDF5 prints its diagnostics straight to the process's stderr: look at a fresh process's.
  const root = new URL("../../../", import.meta.url).pathname;
  const code = `
    import { openAveFeatures } from "${root}lib/data/loaders/ave_features.ts";
    try { await openAveFeatures(${JSON.stringify(dir)}); } catch (e) {
      console.log(JSON.stringify({ name: e.name, path: e.path, message: e.message }));
    }`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout), stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  const error = JSON.parse(stdout);
  assert.equal(error.name, "DataFormatError");
  assert.equal(error.path, labels);
  assert.match(error.message, /truncated file/);
  assert.doesNotMatch(stderr, /HDF5-DIAG/);
  assert.doesNotMatch(stderr, /name not defined/);
});
