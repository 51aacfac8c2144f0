/**
 * The class list of the clip loaders: the caller's `classes`, or the classes that occur in the training
 * split. A validation or test clip of a class without training clips is an error (or a skip), never a
 * new class.
 *
 * @module
 */
import type { DataFormatError } from "../errors.ts";
import type { SkippedClip, SplitName } from "../types.ts";
import { type ClipEntry, skipOrThrow } from "./_clip_dataset.ts";

/** A clip whose `label` indexes the `seen` list of {@linkcode ClassOptions}. */
export interface NamedClip extends ClipEntry {
  /** The clip's class name (folder or CSV path component). */
  className: string;
}

/** Options of {@linkcode classesFromTraining}. */
export interface ClassOptions<C extends NamedClip> {
  /** The caller's class list; when set, labels already index it and nothing is derived. */
  given: readonly string[] | undefined;
  /** Every class name the clips' labels index, in label order (sorted names, folder order, …). */
  seen: readonly string[];
  /** The error for a clip whose class has no training clip. */
  reject(clip: C, classes: readonly string[]): DataFormatError;
  /** Skip such clips (listing them in `skipped`) instead of failing. */
  skipBroken: boolean;
  skipped: SkippedClip[];
}

/**
 * The classes of a dataset and its splits relabelled to them: `given` as is, else the classes of `seen`
 * that occur in the training split, in `seen` order. With an empty training split (an evaluation-only
 * dataset) every class of `seen` is kept.
 *
 * @param splits The clips, labelled by index into `seen`.
 * @param options The given list, the seen names, the rejection error, skipping.
 * @returns The class list and the relabelled splits.
 * @throws {DataFormatError} If a validation or test clip's class has no training clip (without
 * `skipBroken`).
 */
export function classesFromTraining<C extends NamedClip>(
  splits: Record<SplitName, C[]>,
  options: ClassOptions<C>,
): { classes: string[]; splits: Record<SplitName, C[]> } {
  const { given, seen, reject, skipBroken, skipped } = options;
  if (given) return { classes: [...given], splits };
  if (splits.train.length === 0) return { classes: [...seen], splits };
  const inTraining = new Set(splits.train.map((c) => c.label));
  const classes = seen.filter((_, label) => inTraining.has(label));
  const relabel = (clips: C[]): C[] =>
    clips.flatMap((clip) => {
      const label = classes.indexOf(clip.className);
      if (label >= 0) return [{ ...clip, label }];
      skipOrThrow(reject(clip, classes), skipBroken, skipped);
      return [];
    });
  return {
    classes,
    splits: { train: relabel(splits.train), val: relabel(splits.val), test: relabel(splits.test) },
  };
}
