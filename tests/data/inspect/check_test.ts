import assert from "node:assert/strict";
import { join } from "node:path";
import { checkDataset, formatCheckReport } from "../../../lib/data/inspect/check.ts";
import { encodeWav } from "../../../lib/data/media/wav.ts";
import { ffmpegTest, tempDir, writeAveFeatures, writeCsvLayout, writeVideo } from "../_fixtures.ts";

const SMALL = { audioLength: 1001, sampleRate: 8000, imageSize: 16 } as const;

async function runTask(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(import.meta.dirname ?? ".", "../../../tasks/data.ts"), ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** A CSV layout with three kinds of damage: a row pointing nowhere, a truncated WAV, an unreadable JPEG. */
async function brokenCsvLayout(): Promise<{ root: string; wav: string; jpeg: string }> {
  const { root, rows } = await writeCsvLayout({ frames: 12 });
  await Deno.writeTextFile(
    join(root, "train.csv"),
    [...rows.train, "/cello/ghost.wav,/cello/ghost.mp4,12"].join("\n"),
  );
  const wav = join(root, "audio/flute/flute_0001.wav");
  await Deno.writeFile(wav, encodeWav([new Float32Array(8000)], 8000).subarray(0, 3000));
  const jpeg = join(root, "frames/cello/cello_0000.mp4/000006.jpg");
  await Deno.writeFile(jpeg, new TextEncoder().encode("garbage"));
  return { root, wav, jpeg };
}

ffmpegTest("checkDataset() passes a clean CSV layout and reports sizes and balance", async () => {
  const { root } = await writeCsvLayout();
  const report = await checkDataset(root, { layout: "csv", csv: SMALL });
  assert.equal(report.ok, true);
  assert.deepEqual(report.splits.train, { size: 2, classCounts: [1, 1] });
  assert.match(formatCheckReport(report), /^OK: csv dataset/);
});

ffmpegTest("checkDataset() lists every broken clip of a CSV layout", async () => {
  const { root, wav, jpeg } = await brokenCsvLayout();
  const report = await checkDataset(root, { layout: "csv", csv: SMALL });
  assert.equal(report.ok, false);
  const paths = report.problems.map((p) => p.path);
  assert.equal(paths.length, 3);
  assert.ok(paths.includes(wav) && paths.includes(jpeg));
  assert.ok(paths.some((p) => p.endsWith("train.csv:3")));
  assert.equal(report.splits.test.size + report.splits.val.size + report.splits.train.size, 4);
  assert.match(formatCheckReport(report), /3 broken clip\(s\)/);
});

ffmpegTest("checkDataset() reports a video without an audio track", async () => {
  const root = await tempDir();
  for (const cls of ["a", "b"]) {
    for (let i = 0; i < 2; i++) await writeVideo(join(root, cls, `${i}.mp4`), { seconds: 1 });
  }
  await writeVideo(join(root, "a", "mute.mp4"), { seconds: 1, audio: false });
  const report = await checkDataset(root, { layout: "videos", videos: { ...SMALL, seed: 1 } });
  assert.equal(report.ok, false);
  assert.deepEqual(report.problems.map((p) => p.path), [join(root, "a", "mute.mp4")]);
  assert.match(report.problems[0]!.reason, /no audio track/);
});

Deno.test("checkDataset() reports an AVE file of the wrong shape as fatal", async () => {
  const dir = await tempDir();
  await writeAveFeatures(dir, { audioShape: [12, 10, 100] });
  const report = await checkDataset(dir, { layout: "ave" });
  assert.equal(report.ok, false);
  assert.equal(report.fatal?.path, join(dir, "audio_feature.h5"));
  assert.match(formatCheckReport(report), /could not be opened/);
});

Deno.test("checkDataset() passes clean AVE features", async () => {
  const dir = await tempDir();
  await writeAveFeatures(dir);
  const report = await checkDataset(dir, { layout: "ave", ave: { classOrder: "cvpr21" } });
  assert.equal(report.ok, true);
  assert.equal(report.splits.train.size, 8);
});

ffmpegTest("deno task data check exits 1 on problems, 0 with --skip-broken, 2 on bad usage", async () => {
  const { root } = await brokenCsvLayout();
  const flags = ["--layout", "csv", "--audio-length", "1001", "--sample-rate", "8000", "--image-size", "16"];
  const failing = await runTask("check", root, ...flags);
  assert.equal(failing.code, 1, failing.stderr);
  assert.match(failing.stdout, /PROBLEMS: csv dataset/);
  assert.match(failing.stdout, /truncated/);
  const skipping = await runTask("check", root, ...flags, "--skip-broken");
  assert.equal(skipping.code, 0, skipping.stderr);
  assert.match(skipping.stdout, /--skip-broken: 3 clip\(s\) will be skipped, 4 usable/);
  assert.match(skipping.stderr, /verify: 6 step\(s\)/);
  const usage = await runTask("check", root, "--layout", "zip");
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--layout must be one of csv, videos, ave/);
});

ffmpegTest("deno task data card writes frames, spectrograms and a summary for a CSV layout", async () => {
  const { root } = await writeCsvLayout();
  const out = join(await tempDir(), "card");
  const result = await runTask(
    "card",
    root,
    "--layout",
    "csv",
    "--out",
    out,
    "--audio-length",
    "1001",
    "--sample-rate",
    "8000",
    "--image-size",
    "16",
  );
  assert.equal(result.code, 0, result.stderr);
  const card = JSON.parse(await Deno.readTextFile(join(out, "card.json")));
  assert.equal(card.examples.length, 2);
  const png = await Deno.readFile(join(out, card.examples[0].spectrogram));
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.match(await Deno.readTextFile(join(out, "README.md")), /\| cello \| 1 \| 1 \| 1 \|/);
});

ffmpegTest("deno task data check --classes takes the class list, --rehash hashes the bytes", async () => {
  const { root } = await writeCsvLayout();
  const flags = ["--layout", "csv", "--audio-length", "1001", "--sample-rate", "8000", "--image-size", "16"];
  const result = await runTask("check", root, ...flags, "--classes", "cello", "--rehash");
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, /classes \(1\): cello/);
  assert.match(result.stdout, /unknown label 'flute'/);
  assert.match(result.stderr, /rehash: \d+ step\(s\)/);
});
