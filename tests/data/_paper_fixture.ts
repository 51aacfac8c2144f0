/**
 * The 48-clip dataset of issue 16 ("tried as a new user would"): 2 classes in the reference code's CSV
 * layout, 24 training clips per class (48 in all), one val and one test clip per class; 6 s tones at
 * 11025 Hz (the paper's 65535-sample waveforms) and 8 JPEG frames of ffmpeg's moving test pattern per
 * clip. Generated with ffmpeg; no media is committed.
 *
 * Usage: `deno run -A tests/data/_paper_fixture.ts` prints the root it wrote (the caller removes it).
 *
 * @module
 */
import { keepTempDir, writeCsvLayout } from "./_fixtures.ts";

/** Writes the dataset into a new temporary folder (kept after exit) and returns its root. */
export async function writePaperFixture(): Promise<string> {
  const { root } = await writeCsvLayout({
    classes: ["cello", "flute"],
    clipsPerClass: 26,
    frames: 8,
    seconds: 6,
    sampleRate: 11025,
  });
  keepTempDir(root);
  return root;
}

if (import.meta.main) console.log(await writePaperFixture());
