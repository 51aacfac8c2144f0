/**
 * Split objects of the AVE feature reader: per-video hyperslab reads with finiteness checks, and the
 * up-front verification used by `skipBroken`.
 *
 * @module
 */
import type { Dataset } from "h5wasm/node";
import type { AveFeatureBatch, AveFeatureFiles, AveFeatureSplit } from "./types.ts";
import { assertFinite } from "../assert_finite.ts";
import { DataFormatError } from "../errors.ts";
import type { SkippedClip, SplitName } from "../types.ts";
import type { LoaderProgress } from "../types.ts";
import { readFloat32 } from "./_h5.ts";

/** What the splits read from. */
export interface Sources {
  audio: Dataset;
  visual: Dataset;
  labels: Float32Array;
  videoLabels: Int32Array;
  columnMap: number[];
  paths: AveFeatureFiles;
}

/** A split over file rows `rows`. */
export function makeSplit(rows: Int32Array, sources: Sources): AveFeatureSplit {
  const { audio, visual, labels, videoLabels, columnMap, paths } = sources;
  const audioSize = 10 * 128, visualSize = 10 * 7 * 7 * 512, labelSize = 10 * 29;
  return {
    size: rows.length,
    rows,
    labels: rows.map((r) => videoLabels[r] as number),
    // The Promise constructor turns a throw into a rejection.
    read: (indices) => new Promise((resolve) => resolve(readRows(indices))),
  };

  function readRows(indices: readonly number[]): AveFeatureBatch {
    const batch = {
      audio: new Float32Array(indices.length * audioSize),
      visual: new Float32Array(indices.length * visualSize),
      labels: new Float32Array(indices.length * labelSize),
    };
    indices.forEach((index, i) => {
      const row = rows[index];
      if (!Number.isInteger(index) || row === undefined) {
        throw new RangeError(
          `Cannot read AVE features: index must be an integer in [0, ${rows.length}), current value is ${index}`,
        );
      }
      const a = readFloat32(paths.audio, "AVE audio features", () => audio.slice([[row, row + 1], [], []]));
      const v = readFloat32(
        paths.visual,
        "AVE visual features",
        () => visual.slice([[row, row + 1], [], [], [], []]),
      );
      assertFinite(a, `${paths.audio}#${row}`, { action: `use AVE audio features of video ${row}` });
      assertFinite(v, `${paths.visual}#${row}`, { action: `use AVE visual features of video ${row}` });
      batch.audio.set(a, i * audioSize);
      batch.visual.set(v, i * visualSize);
      for (let t = 0; t < 10; t++) {
        for (let c = 0; c < 29; c++) {
          batch.labels[i * labelSize + t * 29 + (columnMap[c] as number)] =
            labels[(row * 10 + t) * 29 + c] as number;
        }
      }
    });
    return batch;
  }
}

/** Reads every video of every split once, dropping (and listing) those that fail. */
export async function verifyAll(
  splits: Record<SplitName, AveFeatureSplit>,
  skipped: SkippedClip[],
  onProgress: LoaderProgress | undefined,
): Promise<void> {
  const total = splits.train.size + splits.val.size + splits.test.size;
  let done = 0;
  for (const name of ["train", "val", "test"] as const) {
    const split = splits[name];
    const keep: number[] = [];
    for (let i = 0; i < split.size; i++) {
      try {
        await split.read([i]);
        keep.push(i);
      } catch (error) {
        if (!(error instanceof DataFormatError)) throw error;
        skipped.push({ path: error.path, reason: error.message });
      }
      onProgress?.({ stage: "verify", done: ++done, total });
    }
    if (keep.length < split.size) {
      const read = split.read;
      splits[name] = {
        size: keep.length,
        rows: Int32Array.from(keep, (i) => split.rows[i] as number),
        labels: Int32Array.from(keep, (i) => split.labels[i] as number),
        async read(indices) {
          const bad = indices.find((i) => keep[i] === undefined);
          if (bad !== undefined) {
            throw new RangeError(
              `Cannot read AVE features: index must be an integer in [0, ${keep.length}), current value is ${bad}`,
            );
          }
          return await read(indices.map((i) => keep[i] as number));
        },
      };
    }
  }
}
