/**
 * Reader for AVE's released features (YapengTian/AVE-ECCV18): VGGish audio, VGG-19 pool5 visual maps and
 * per-second labels in HDF5 (key `avadataset`), with the split orders (key `order`). This loader yields
 * features, not raw inputs, so it has its own typed API instead of `AvDataset`.
 *
 * @module
 */
import { join } from "node:path";
import type { File } from "h5wasm/node";
import { AVE_CLASSES_CVPR21, AVE_CLASSES_ECCV18, aveClassMapping } from "./ave_classes.ts";
import { DataFormatError } from "../errors.ts";
import type { SkippedClip, SplitName } from "../types.ts";
import type { LoaderProgress } from "../types.ts";
import { makeSplit, verifyAll } from "./_ave_split.ts";
import type { AveFeatureFiles, AveFeatureSplit } from "./types.ts";
import { checkedDataset, openH5, readFloat32 } from "./_h5.ts";

/** Values per video: 10 one-second segments of each feature. */
export const AVE_FEATURE_SHAPES = Object.freeze({
  audio: [10, 128] as const,
  visual: [10, 7, 7, 512] as const,
  labels: [10, 29] as const,
});

/** Options of {@linkcode openAveFeatures}. */
export interface AveFeatureOptions {
  /** File names, relative to the folder (see {@linkcode AveFeatureFiles} for the defaults). */
  files?: Partial<AveFeatureFiles>;
  /** Names of the files' 28 event label columns (column 28 is background). @default AVE_CLASSES_ECCV18 */
  fileClasses?: readonly string[];
  /** Label order of `classes` and of the returned label columns, matched by name. @default "eccv18" */
  classOrder?: "eccv18" | "cvpr21";
  /** Drop broken videos (label rows without a label, bad order entries, non-finite features) instead of failing; reads every feature once. @default false */
  skipBroken?: boolean;
  /** Progress callback (stage `verify`). */
  onProgress?: LoaderProgress;
}

/** An opened AVE feature folder. */
export interface AveFeatures {
  /** 28 event names in the chosen order, then "background". */
  classes: string[];
  /** Videos in the feature files. */
  videos: number;
  /** The three splits. */
  splits: Record<SplitName, AveFeatureSplit>;
  /** Videos or order entries dropped under `skipBroken`. */
  skipped: SkippedClip[];
  /** Closes the HDF5 files. */
  close(): void;
}

const DEFAULT_FILES: AveFeatureFiles = {
  audio: "audio_feature.h5",
  visual: "visual_feature.h5",
  labels: "labels.h5",
  train: "train_order.h5",
  val: "val_order.h5",
  test: "test_order.h5",
};

/**
 * Opens AVE's released features. Shapes and element types are checked at once (float32 or float64
 * features; the visual file, ~8 GB, is only ever read in per-video slices); labels and split orders are
 * read whole. Label columns are matched to the chosen class order by name, since the ECCV18 files and the
 * CVPR21 code order AVE's classes differently.
 *
 * @param dir The folder holding the six files.
 * @param options File names, class order, `skipBroken`.
 * @returns The splits, with a `read(indices)` that returns float32 features.
 * @throws {DataFormatError} If a file is missing or not HDF5, a dataset has the wrong key, shape or type,
 * or (without `skipBroken`) a label row is empty or an order entry is out of range.
 * @throws {RangeError} If `fileClasses` cannot be matched to the chosen order.
 *
 * @example
 * ```ts ignore
 * const ave = await openAveFeatures("/data/AVE-features", { classOrder: "cvpr21" });
 * const { audio, visual, labels } = await ave.splits.test.read([0, 1, 2]);
 * ave.close();
 * ```
 */
export async function openAveFeatures(dir: string, options: AveFeatureOptions = {}): Promise<AveFeatures> {
  const { fileClasses = AVE_CLASSES_ECCV18, classOrder = "eccv18", skipBroken = false, onProgress } = options;
  const names = { ...DEFAULT_FILES, ...options.files };
  const target = classOrder === "cvpr21" ? AVE_CLASSES_CVPR21 : AVE_CLASSES_ECCV18;
  if (fileClasses.length !== 28) {
    throw new RangeError(
      `Cannot open AVE features: fileClasses must list 28 events, current value has ${fileClasses.length}`,
    );
  }
  const columnMap = [...aveClassMapping(fileClasses, target), 28];
  const paths: AveFeatureFiles = {
    audio: join(dir, names.audio),
    visual: join(dir, names.visual),
    labels: join(dir, names.labels),
    train: join(dir, names.train),
    val: join(dir, names.val),
    test: join(dir, names.test),
  };
  const files: File[] = [];
  const open = async (path: string) => {
    const file = await openH5(path);
    files.push(file);
    return file;
  };
  try {
    const audio = checkedDataset(await open(paths.audio), paths.audio, "avadataset", [null, 10, 128], [
      "float",
    ]);
    const videos = audio.shape?.[0] ?? 0;
    const visual = checkedDataset(await open(paths.visual), paths.visual, "avadataset", [
      videos,
      10,
      7,
      7,
      512,
    ], [
      "float",
    ]);
    const labelSet = checkedDataset(await open(paths.labels), paths.labels, "avadataset", [videos, 10, 29], [
      "float",
      "int",
    ]);
    const labels = readFloat32(paths.labels, "AVE labels", () => labelSet.value);
    const skipped: SkippedClip[] = [];
    const fail = (error: DataFormatError) => {
      if (!skipBroken) throw error;
      skipped.push({ path: error.path, reason: error.message });
    };
    const videoLabels = new Int32Array(videos);
    const badRows = new Set<number>();
    for (let row = 0; row < videos; row++) {
      const counts = new Float64Array(29);
      for (let t = 0; t < 10 && !badRows.has(row); t++) {
        let sum = 0;
        for (let c = 0; c < 29; c++) {
          const v = labels[(row * 10 + t) * 29 + c] as number;
          sum += Number.isFinite(v) && v >= 0 ? v : NaN;
          const column = columnMap[c] as number;
          counts[column] = (counts[column] as number) + v;
        }
        if (!(sum > 0)) {
          badRows.add(row);
          fail(
            new DataFormatError(
              `${paths.labels}#${row}`,
              `Cannot use AVE labels: second ${t} of video ${row} has no label`,
            ),
          );
        }
      }
      let best = 28;
      for (let c = 0; c < 28; c++) {
        if ((counts[c] as number) > (best === 28 ? 0 : counts[best] as number)) best = c;
      }
      videoLabels[row] = best;
    }
    const sources = { audio, visual, labels, videoLabels, columnMap, paths };
    const readOrder = async (split: SplitName): Promise<AveFeatureSplit> => {
      const order = checkedDataset(await open(paths[split]), paths[split], "order", [null], ["int", "float"]);
      const rows: number[] = [];
      readFloat32(paths[split], "AVE split order", () => order.value).forEach((row, i) => {
        if (!Number.isInteger(row) || row < 0 || row >= videos) {
          fail(
            new DataFormatError(
              `${paths[split]}[${i}]`,
              `Cannot use AVE order: row ${row} is out of range [0, ${videos})`,
            ),
          );
        } else if (!badRows.has(row)) rows.push(row);
      });
      return makeSplit(Int32Array.from(rows), sources);
    };
    const splits = {
      train: await readOrder("train"),
      val: await readOrder("val"),
      test: await readOrder("test"),
    };
    if (skipBroken) await verifyAll(splits, skipped, onProgress);
    return {
      classes: [...target, "background"],
      videos,
      splits,
      skipped,
      close: () => files.splice(0).forEach((f) => f.close()),
    };
  } catch (error) {
    files.splice(0).forEach((f) => f.close());
    throw error;
  }
}
