/**
 * The 28 event classes of AVE (Tian et al., ECCV 2018) in the two label orders in circulation, and a
 * mapping between them by name. Never mix label indices between the two code bases: map by name.
 *
 * @module
 */

/**
 * Class order of the released AVE features (YapengTian/AVE-ECCV18: order of first appearance in
 * `Annotations.txt`; label column 28 is background). Names are the CVPR21 folder names.
 */
export const AVE_CLASSES_ECCV18: readonly string[] = Object.freeze([
  "Church_bell",
  "Male_speech",
  "Bark",
  "airplane",
  "Race_car",
  "Female_speech",
  "Helicopter",
  "Violin",
  "Flute",
  "Ukulele",
  "Frying",
  "Truck",
  "Shofar",
  "Motorcycle",
  "Acoustic_guitar",
  "Train_horn",
  "Clock",
  "Banjo",
  "Goat",
  "Baby_cry",
  "Bus",
  "Chainsaw",
  "Cat",
  "Horse",
  "Toilet_flush",
  "Rodents",
  "Accordion",
  "Mandolin",
]);

/** Class order of the robustness paper's code (AV-Robustness-CVPR21 `categories`: Chainsaw is 14). */
export const AVE_CLASSES_CVPR21: readonly string[] = Object.freeze([
  "Church_bell",
  "Male_speech",
  "Bark",
  "airplane",
  "Race_car",
  "Female_speech",
  "Helicopter",
  "Violin",
  "Flute",
  "Ukulele",
  "Frying",
  "Truck",
  "Shofar",
  "Motorcycle",
  "Chainsaw",
  "Acoustic_guitar",
  "Train_horn",
  "Clock",
  "Banjo",
  "Goat",
  "Baby_cry",
  "Bus",
  "Cat",
  "Horse",
  "Toilet_flush",
  "Rodents",
  "Accordion",
  "Mandolin",
]);

/**
 * The comparable form of an AVE class name: the part before the first comma or parenthesis, spaces as
 * underscores, lower case (`"Race car, auto racing"` → `"race_car"`, `"Frying (food)"` → `"frying"`).
 *
 * @param name A class name from Annotations.txt, a folder name, or a constant above.
 * @returns The normalised name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(normalizeAveClassName("Male speech, man speaking"), "male_speech");
 * ```
 */
export function normalizeAveClassName(name: string): string {
  return (name.split(/[,(]/)[0] ?? "").trim().replace(/\s+/g, "_").toLowerCase();
}

/**
 * Maps class indices of one order to another by name.
 *
 * @param from Class names whose indices are to be mapped.
 * @param to Class names giving the new indices.
 * @returns `map[i]` = index in `to` of `from[i]`.
 * @throws {RangeError} If a name in `from` has no counterpart in `to`.
 *
 * @example ECCV18 Chainsaw (21) is CVPR21 class 14
 * ```ts
 * import assert from "node:assert/strict";
 * const map = aveClassMapping(AVE_CLASSES_ECCV18, AVE_CLASSES_CVPR21);
 * assert.equal(map[21], 14);
 * ```
 */
export function aveClassMapping(from: readonly string[], to: readonly string[]): Int32Array {
  const index = new Map(to.map((name, i) => [normalizeAveClassName(name), i]));
  return Int32Array.from(from, (name) => {
    const target = index.get(normalizeAveClassName(name));
    if (target === undefined) {
      throw new RangeError(`Cannot map AVE classes: '${name}' has no counterpart in [${to.join(", ")}]`);
    }
    return target;
  });
}
