/**
 * Accuracy cells of the study's tables: percent with a 95% interval, and the published number beside it.
 *
 * @module
 */
import { type ProportionInterval, wilsonInterval } from "../../eval/wilson_interval.ts";
import { type PublishedResult, publishedText } from "../published_results.ts";

/** An interval in percent with one decimal: `71.4 [68.5, 74.1]` (`unit` goes after the value). */
export function intervalText(interval: ProportionInterval, unit = ""): string {
  const p = (x: number) => (100 * x).toFixed(1);
  return `${p(interval.value)}${unit} [${p(interval.low)}, ${p(interval.high)}]`;
}

/**
 * An accuracy with its Wilson interval, in percent; the point value alone when `total` is unknown or 0.
 * A published number is appended after a semicolon.
 */
export function accuracyCell(
  accuracy: number,
  total: number | undefined,
  published?: PublishedResult,
): string {
  const measured = total !== undefined && total > 0
    ? intervalText({ ...wilsonInterval(Math.round(accuracy * total), total), value: accuracy })
    : (100 * accuracy).toFixed(1);
  return published ? `${measured}; ${publishedText(published)}` : measured;
}
