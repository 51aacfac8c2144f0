import assert from "node:assert/strict";
import { join } from "node:path";
import { createRng } from "../../../lib/engine/random.ts";
import { openCsvLayout } from "../../../lib/data/loaders/csv_layout.ts";
import { DataFormatError } from "../../../lib/data/errors.ts";
import { prepareFrame, readImage } from "../../../lib/data/media/image.ts";
import { encodeWav } from "../../../lib/data/media/wav.ts";
import { ffmpegTest, tone, writeCsvLayout, writeWav } from "../_fixtures.ts";

const SMALL = { audioLength: 1001, sampleRate: 8000, imageSize: 16 } as const;

ffmpegTest(
  "openCsvLayout() reads the centre frame and the audio window centred on it at test time",
  async () => {
    const { root } = await writeCsvLayout({ frames: 12 });
    // A ramp makes each sample's value tell its position: value(i) = i / 100000.
    const ramp = Float32Array.from({ length: 12000 }, (_, i) => i / 100000);
    await writeWav(join(root, "audio/cello/cello_0000.wav"), ramp, 8000, "float32");
    const data = await openCsvLayout(root, SMALL);
    assert.deepEqual(data.classes, ["cello", "flute"]);
    assert.deepEqual([data.splits.train.size, data.splits.val.size, data.splits.test.size], [2, 2, 2]);
    assert.deepEqual([...data.splits.test.labels], [0, 1]);
    const sample = await data.splits.test.sample(0);
    assert.equal(sample.audio.length, 1001);
    assert.deepEqual(data.imageShape, [16, 16, 3]);
    // Frame 12 // 2 = 6, centred at (6 - 0.5) / 8 s = sample 5500, which lands at index 500.
    const expected = prepareFrame(await readImage(join(root, "frames/cello/cello_0000.mp4/000006.jpg")), {
      imageSize: 16,
    });
    assert.deepEqual(sample.visual, expected);
    assert.ok(Math.abs(sample.audio[500]! - 0.055) < 1e-6);
    assert.ok(Math.abs(sample.audio[0]! - 0.05) < 1e-6);
  },
);

ffmpegTest("openCsvLayout() tiles short audio and zero-pads where the window leaves the file", async () => {
  const { root } = await writeCsvLayout({ frames: 4 });
  await writeWav(join(root, "audio/cello/cello_0000.wav"), new Float32Array(300).fill(0.5), 8000, "float32");
  const data = await openCsvLayout(root, { ...SMALL, audioLength: 4001 });
  const { audio } = await data.splits.test.sample(0);
  // Frame 2 -> centre sample 1500; window [-500, 3501): 500 leading zeros, then the file tiled 14 times.
  assert.ok(audio.subarray(0, 500).every((v) => v === 0));
  assert.ok(audio.subarray(500).every((v) => v === 0.5));
});

ffmpegTest(
  "openCsvLayout() samples train frames in the margin range with seeded gain and flips",
  async () => {
    const { root } = await writeCsvLayout({ frames: 60, seconds: 7.5 });
    const data = await openCsvLayout(root, SMALL);
    const a = await data.splits.train.sample(0, { augment: true, rng: createRng(5) });
    const b = await data.splits.train.sample(0, { augment: true, rng: createRng(5) });
    assert.deepEqual(a, b);
    const plain = await data.splits.train.sample(0);
    assert.notDeepEqual(a.audio, plain.audio);
    assert.ok(a.audio.every((v) => v >= -1 && v <= 1));
    await assert.rejects(data.splits.train.sample(0, { augment: true }), TypeError);
    await assert.rejects(data.splits.train.sample(9), RangeError);
  },
);

ffmpegTest("openCsvLayout() rejects a row pointing nowhere, naming the CSV line", async () => {
  const { root, rows } = await writeCsvLayout();
  await Deno.writeTextFile(
    join(root, "val.csv"),
    [...rows.val, "/cello/ghost.wav,/cello/ghost.mp4,12"].join("\n"),
  );
  await assert.rejects(
    openCsvLayout(root, SMALL),
    (e: unknown) =>
      e instanceof DataFormatError && e.path.endsWith("val.csv:3") &&
      /ghost\.wav' does not exist/.test(e.message),
  );
  const data = await openCsvLayout(root, { ...SMALL, skipBroken: true });
  assert.equal(data.splits.val.size, 2);
  assert.equal(data.skipped.length, 1);
  assert.match(data.skipped[0]!.path, /val\.csv:3$/);
});

ffmpegTest("openCsvLayout() rejects an unknown label when the classes are given", async () => {
  const { root } = await writeCsvLayout();
  await assert.rejects(openCsvLayout(root, { ...SMALL, classes: ["cello"] }), /unknown label 'flute'/);
  const data = await openCsvLayout(root, { ...SMALL, classes: ["cello"], skipBroken: true });
  assert.equal(data.skipped.length, 3);
  assert.deepEqual([...data.splits.train.labels], [0]);
});

ffmpegTest("openCsvLayout() reports a truncated WAV on reading, or skips it with skipBroken", async () => {
  const { root } = await writeCsvLayout();
  const path = join(root, "audio/flute/flute_0000.wav");
  const bytes = encodeWav([new Float32Array(8000).fill(0.1)], 8000);
  await Deno.writeFile(path, bytes.subarray(0, 4000));
  const data = await openCsvLayout(root, SMALL);
  await data.splits.test.sample(0);
  await assert.rejects(
    data.splits.test.sample(1),
    (e: unknown) => e instanceof DataFormatError && e.path === path && /truncated/.test(e.message),
  );
  const skipping = await openCsvLayout(root, { ...SMALL, skipBroken: true });
  assert.equal(skipping.splits.test.size, 1);
  assert.deepEqual(skipping.skipped.map((s) => s.path), [path]);
});

ffmpegTest("openCsvLayout() reports an unreadable JPEG instead of a zero frame", async () => {
  const { root } = await writeCsvLayout({ frames: 12 });
  const path = join(root, "frames/cello/cello_0000.mp4/000006.jpg");
  await Deno.writeFile(path, new Uint8Array([0xff, 0xd8, 1, 2, 3]));
  const data = await openCsvLayout(root, SMALL);
  await assert.rejects(
    data.splits.test.sample(0),
    (e: unknown) => e instanceof DataFormatError && e.path === path,
  );
  const skipping = await openCsvLayout(root, { ...SMALL, skipBroken: true });
  assert.deepEqual(skipping.skipped.map((s) => s.path), [path]);
});

ffmpegTest("openCsvLayout() splits one CSV per class, deterministically by seed", async () => {
  const { root, rows } = await writeCsvLayout({ clipsPerClass: 5 });
  await Deno.writeTextFile(join(root, "all.csv"), [...rows.train, ...rows.val, ...rows.test].join("\n"));
  const options = { ...SMALL, csv: "all.csv", fractions: { train: 0.6, val: 0.2, test: 0.2 }, seed: 3 };
  const a = await openCsvLayout(root, options);
  const b = await openCsvLayout(root, options);
  assert.deepEqual([a.splits.train.size, a.splits.val.size, a.splits.test.size], [6, 2, 2]);
  assert.deepEqual([...a.splits.test.labels].sort(), [0, 1]);
  assert.equal(a.hash, b.hash);
  const c = await openCsvLayout(root, { ...options, seed: 4 });
  assert.notEqual(a.hash, c.hash);
});

ffmpegTest(
  "openCsvLayout() rejects audio that ends before the sampled frame instead of returning silence",
  async () => {
    const { root } = await writeCsvLayout({ frames: 80, seconds: 1 });
    const data = await openCsvLayout(root, SMALL);
    await assert.rejects(data.splits.test.sample(0), /ends at 1\.000 s, before the window around 4\.938 s/);
  },
);

ffmpegTest("openCsvLayout() names a missing CSV file", async () => {
  const { root } = await writeCsvLayout();
  await assert.rejects(openCsvLayout(root, { csv: "nope.csv" }), /Cannot read CSV: .*nope\.csv/);
});

ffmpegTest("openCsvLayout() rejects a label seen only in val or test, naming the CSV line", async () => {
  const { root, rows } = await writeCsvLayout({ classes: ["cello", "flute", "harp"] });
  await Deno.writeTextFile(join(root, "train.csv"), rows.train.filter((r) => !r.includes("harp")).join("\n"));
  await assert.rejects(
    openCsvLayout(root, SMALL),
    (e: unknown) =>
      e instanceof DataFormatError && e.path === join(root, "val.csv:3") &&
      /label 'harp' has no rows in the training split \(training classes: cello, flute\)/.test(e.message),
  );
  const skipping = await openCsvLayout(root, { ...SMALL, skipBroken: true });
  assert.deepEqual(skipping.classes, ["cello", "flute"]);
  assert.deepEqual(skipping.skipped.map((s) => s.path), [join(root, "val.csv:3"), join(root, "test.csv:3")]);
  assert.deepEqual([...skipping.splits.test.labels], [0, 1]);
});

ffmpegTest(
  "openCsvLayout() takes the classes option as the label order, val-only classes included",
  async () => {
    const { root, rows } = await writeCsvLayout({ classes: ["cello", "flute", "harp"] });
    await Deno.writeTextFile(
      join(root, "train.csv"),
      rows.train.filter((r) => !r.includes("harp")).join("\n"),
    );
    const data = await openCsvLayout(root, { ...SMALL, classes: ["harp", "flute", "cello"] });
    assert.deepEqual(data.classes, ["harp", "flute", "cello"]);
    assert.deepEqual([...data.splits.train.labels], [2, 1]);
    assert.deepEqual([...data.splits.val.labels], [2, 1, 0]);
  },
);

ffmpegTest(
  "openCsvLayout() says a CSV file is empty instead of opening a dataset without classes",
  async () => {
    const { root } = await writeCsvLayout();
    for (const text of ["", "\n  \n"]) {
      await Deno.writeTextFile(join(root, "train.csv"), text);
      await assert.rejects(
        openCsvLayout(root, SMALL),
        (e: unknown) =>
          e instanceof DataFormatError && e.path === join(root, "train.csv") &&
          /^Cannot read CSV: the file is empty/.test(e.message),
      );
    }
  },
);

ffmpegTest(
  "openCsvLayout() hashes file contents: size and time by default, the bytes with rehash",
  async () => {
    const { root } = await writeCsvLayout();
    const path = join(root, "audio/cello/cello_0002.wav");
    const { atime, mtime } = await Deno.stat(path);
    assert.ok(atime && mtime);
    const before = (await openCsvLayout(root, SMALL)).hash;
    const beforeBytes = (await openCsvLayout(root, { ...SMALL, rehash: true })).hash;
    assert.notEqual(before, beforeBytes, "the two kinds of hash are told apart");
    // Same name, same size, other samples, a later modification time.
    await writeWav(path, tone(990, 1.5, 8000), 8000);
    await Deno.utime(path, atime, new Date(mtime.getTime() + 5000));
    assert.notEqual((await openCsvLayout(root, SMALL)).hash, before);
    // The modification time set back: only the bytes tell.
    await Deno.utime(path, atime, mtime);
    assert.equal((await openCsvLayout(root, SMALL)).hash, before);
    assert.notEqual((await openCsvLayout(root, { ...SMALL, rehash: true })).hash, beforeBytes);
  },
);
