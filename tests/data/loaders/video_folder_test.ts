import assert from "node:assert/strict";
import { join } from "node:path";
import { createRng } from "../../../lib/engine/random.ts";
import { DataFormatError } from "../../../lib/data/errors.ts";
import { openVideoFolder } from "../../../lib/data/loaders/video_folder.ts";
import { ffmpegTest, tempDir, writeVideo } from "../_fixtures.ts";

const SMALL = { audioLength: 4001, sampleRate: 8000, imageSize: 16 } as const;

let fixture: Promise<string> | undefined;
/** Two classes x 4 clips of 2 s (shared by the tests of this file; do not modify). */
function videoFolder(): Promise<string> {
  fixture ??= (async () => {
    const root = await tempDir();
    for (const [c, cls] of ["bell", "horn"].entries()) {
      for (let i = 0; i < 4; i++) {
        await writeVideo(join(root, cls, `${cls}_${i}.mp4`), { frequency: 300 + 400 * c });
      }
    }
    return root;
  })();
  return fixture;
}

async function copyTree(from: string): Promise<string> {
  const to = await tempDir();
  for await (const dir of Deno.readDir(from)) {
    await Deno.mkdir(join(to, dir.name));
    for await (const file of Deno.readDir(join(from, dir.name))) {
      await Deno.copyFile(join(from, dir.name, file.name), join(to, dir.name, file.name));
    }
  }
  return to;
}

ffmpegTest(
  "openVideoFolder() decodes a clip into a waveform and a frame of the requested sizes",
  async () => {
    const data = await openVideoFolder(await videoFolder(), {
      ...SMALL,
      fractions: { train: 0.5, val: 0.25, test: 0.25 },
    });
    assert.deepEqual(data.classes, ["bell", "horn"]);
    assert.deepEqual([data.splits.train.size, data.splits.val.size, data.splits.test.size], [4, 2, 2]);
    const sample = await data.splits.test.sample(0);
    assert.equal(sample.audio.length, 4001);
    assert.equal(sample.visual.length, 16 * 16 * 3);
    const rms = Math.sqrt(sample.audio.reduce((s, v) => s + v * v, 0) / sample.audio.length);
    assert.ok(rms > 0.05, `the tone is there (rms ${rms})`);
    assert.ok(sample.visual.some((v) => v > 0.5) && sample.visual.every((v) => v >= 0 && v <= 1));
    const a = await data.splits.train.sample(1, { augment: true, rng: createRng(2) });
    const b = await data.splits.train.sample(1, { augment: true, rng: createRng(2) });
    assert.deepEqual(a, b);
  },
);

ffmpegTest("openVideoFolder() splits deterministically by seed and stratifies by class", async () => {
  const root = await videoFolder();
  const ids = async (seed: number) => {
    const data = await openVideoFolder(root, {
      ...SMALL,
      seed,
      fractions: { train: 0.5, val: 0, test: 0.5 },
    });
    assert.deepEqual([...data.splits.test.labels].sort(), [0, 0, 1, 1]);
    return data.hash;
  };
  assert.equal(await ids(1), await ids(1));
  const hashes = new Set(await Promise.all([1, 2, 3, 4, 5].map(ids)));
  assert.ok(hashes.size > 1, "different seeds give different splits");
});

ffmpegTest(
  "openVideoFolder() reports a clip without an audio track, or skips it with skipBroken",
  async () => {
    const root = await copyTree(await videoFolder());
    const silent = join(root, "bell", "bell_mute.mp4");
    await writeVideo(silent, { audio: false });
    const options = { ...SMALL, fractions: { train: 0, val: 0, test: 1 } };
    const data = await openVideoFolder(root, options);
    const index = data.splits.test.labels.length;
    const results = await Promise.allSettled(
      Array.from({ length: index }, (_, i) => data.splits.test.sample(i)),
    );
    const failures = results.filter((r) => r.status === "rejected").map((r) => r.reason);
    assert.equal(failures.length, 1);
    assert.ok(failures[0] instanceof DataFormatError);
    assert.equal(failures[0].path, silent);
    assert.match(failures[0].message, /has no audio track/);
    const skipping = await openVideoFolder(root, { ...options, skipBroken: true });
    assert.equal(skipping.splits.test.size, 8);
    assert.deepEqual(skipping.skipped.map((s) => s.path), [silent]);
  },
);

ffmpegTest("openVideoFolder() reports an undecodable file and an unknown class folder", async () => {
  const root = await copyTree(await videoFolder());
  const broken = join(root, "horn", "horn_bad.mp4");
  await Deno.writeFile(broken, new TextEncoder().encode("this is not a video"));
  const data = await openVideoFolder(root, { ...SMALL, skipBroken: true });
  assert.deepEqual(data.skipped.map((s) => s.path), [broken]);
  await assert.rejects(openVideoFolder(root, { ...SMALL, classes: ["bell"] }), /unknown label 'horn'/);
});

Deno.test("openVideoFolder() without ffmpeg names the install command", async () => {
  const root = await tempDir();
  await assert.rejects(
    openVideoFolder(root, { ffmpeg: { ffmpeg: "avrobust-no-such-ffmpeg" } }),
    /ffmpeg was not found on PATH; install it with `apt-get install -y --no-install-recommends ffmpeg`/,
  );
});

ffmpegTest("openVideoFolder() rejects a folder without videos", async () => {
  const root = await tempDir();
  await Deno.mkdir(join(root, "empty"));
  await assert.rejects(
    openVideoFolder(root),
    (e: unknown) => e instanceof DataFormatError && e.path === root,
  );
});

ffmpegTest("openVideoFolder() rejects a class without training clips, naming the clip", async () => {
  const root = await copyTree(await videoFolder());
  const lone = join(root, "gong", "gong_0.mp4");
  await Deno.mkdir(join(root, "gong"));
  await Deno.copyFile(join(root, "bell", "bell_0.mp4"), lone);
  // One clip: round(1 * 0.4) = 0 go to train, the clip goes to val.
  const options = { ...SMALL, fractions: { train: 0.4, val: 0.3, test: 0.3 } };
  await assert.rejects(
    openVideoFolder(root, options),
    (e: unknown) =>
      e instanceof DataFormatError && e.path === lone &&
      /class 'gong' has no clips in the training split \(training classes: bell, horn\)/.test(e.message),
  );
  const listed = await openVideoFolder(root, { ...options, classes: ["bell", "gong", "horn"] });
  assert.deepEqual(listed.classes, ["bell", "gong", "horn"]);
  assert.deepEqual([...listed.splits.val.labels].sort(), [0, 1, 2]);
});
