/**
 * One line of text per pipeline event, for terminals, logs and notebooks.
 *
 * @module
 */
import type { PipelineEvent } from "../types.ts";

/**
 * Formats a pipeline event: `[2/3 train] …` with the stage's position, the message and the percentage
 * done; the end line says whether the result came from the cache, how long it took and how many cells
 * were cached or computed.
 *
 * @param event The event.
 * @param position The stage's position, e.g. `2/3` (from its start event).
 * @returns The line, without a newline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const line = formatPipelineEvent({ type: "progress", stage: "train", message: "epoch 1/2", fraction: 0.5 }, "2/3");
 * assert.equal(line, "[2/3 train] epoch 1/2 (50 %)");
 * ```
 */
export function formatPipelineEvent(event: PipelineEvent, position: string): string {
  const prefix = `[${position} ${event.stage}]`;
  if (event.type === "start") return `${prefix} ${event.description}`;
  if (event.type === "progress") {
    return `${prefix} ${event.message}${
      event.fraction === undefined ? "" : ` (${Math.round(event.fraction * 100)} %)`
    }`;
  }
  const s = event.summary;
  const cells = s.cellsCached + s.cellsComputed > 0
    ? `, cells: ${s.cellsCached} cached, ${s.cellsComputed} computed`
    : "";
  return `${prefix} ${s.status === "cached" ? "from cache" : "ran"} in ${s.seconds.toFixed(1)} s${cells}`;
}

/**
 * The one progress printer of the tasks and notebooks: returns an `onEvent` callback that writes one line
 * per stage start and end, and progress lines at most every `interval` seconds per stage. `write` gets each line
 * and whether it is final (start and end lines) or a progress line a terminal may redraw in place.
 *
 * @param write Where lines go. @default console.log
 * @param interval Seconds between progress lines of a stage. @default 5
 * @returns The callback for `runPipeline`'s `onEvent`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines: string[] = [];
 * const onEvent = progressPrinter((line) => lines.push(line));
 * onEvent({ type: "start", stage: "data", index: 0, total: 1, description: "build" });
 * assert.deepEqual(lines, ["[1/1 data] build"]);
 * ```
 */
export function progressPrinter(
  write: (line: string, final: boolean) => void = (line) => console.log(line),
  interval = 5,
): (event: PipelineEvent) => void {
  // Per stage: stages that run side by side (shared cells) interleave their lines.
  const positions = new Map<string, string>();
  const last = new Map<string, number>();
  return (event) => {
    if (event.type === "start") positions.set(event.stage, `${event.index + 1}/${event.total}`);
    if (event.type === "progress") {
      const now = performance.now() / 1000;
      if (now - (last.get(event.stage) ?? -Infinity) < interval) return;
      last.set(event.stage, now);
    } else last.delete(event.stage);
    write(formatPipelineEvent(event, positions.get(event.stage) ?? ""), event.type !== "progress");
  };
}
