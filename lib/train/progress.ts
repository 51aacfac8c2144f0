/**
 * Training progress events and their text forms (a progress bar for terminals, one line per epoch
 * otherwise).
 *
 * @module
 */
import type { ModuleName } from "../models/types.ts";

/** Metrics of one finished epoch. */
export interface EpochRecord {
  /** 0-based epoch. */
  epoch: number;
  /** Mean training loss, auxiliary terms (late fusion) included, measured before each update. */
  trainLoss: number;
  /** Training accuracy of the fused logits, measured before each update. */
  trainAccuracy: number;
  valLoss: number;
  valAccuracy: number;
  /** Rates used in this epoch. */
  learningRates: Record<ModuleName, number>;
  /** Wall time of the epoch in seconds (training + validation). */
  seconds: number;
}

/** A progress event of `trainModel`. Epochs are 0-based; `epochs` is the total. */
export type TrainProgress =
  | { kind: "resume"; epoch: number; epochs: number }
  | {
    kind: "step";
    epoch: number;
    epochs: number;
    step: number;
    steps: number;
    /** Running mean loss of the epoch so far. */
    loss: number;
    /** Running accuracy of the epoch so far. */
    accuracy: number;
    elapsedSeconds: number;
    /** Estimated seconds left for the whole run. */
    etaSeconds: number;
  }
  | { kind: "epoch"; epochs: number; record: EpochRecord; isBest: boolean; etaSeconds: number }
  | {
    kind: "memory";
    /** Estimated peak tensor bytes of one step over the whole batch. */
    batchBytes: number;
    /** The backend's tensor limit it was planned against. */
    limitBytes: number;
    batchSize: number;
    /** Samples per forward/backward pass chosen (`batchSize` when the whole batch fits). */
    microBatchSize: number;
  };

/**
 * Bytes as GiB with two decimals, as the memory messages print them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(gibibytes(3 * 2 ** 30), "3.00 GiB");
 * ```
 */
export function gibibytes(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
}

/**
 * One line of text for a progress event: for steps a bar (for terminals, redrawn in place), for epochs
 * a summary line (for logs, notebooks and CI).
 *
 * @param event The event.
 * @param barWidth Characters of the bar. @default 24
 * @returns The line, without a newline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const event = { epoch: 0, epochs: 2, step: 5, steps: 10, loss: 1.5, accuracy: 0.5, elapsedSeconds: 3 };
 * const line = formatProgress({ kind: "step", ...event, etaSeconds: 65 });
 * assert.equal(line, "epoch 1/2 [============            ]  5/10 loss 1.5000 acc 50.0% eta 1:05");
 * ```
 */
export function formatProgress(event: TrainProgress, barWidth = 24): string {
  if (event.kind === "resume") return `resuming after epoch ${event.epoch}/${event.epochs}`;
  if (event.kind === "memory") {
    const plan = event.microBatchSize < event.batchSize
      ? `micro-batches of ${event.microBatchSize} with gradients accumulated over the batch`
      : "the whole batch at once";
    return `a step of ${event.batchSize} needs about ${gibibytes(event.batchBytes)} of tensors (limit ` +
      `${gibibytes(event.limitBytes)}): ${plan}`;
  }
  if (event.kind === "step") {
    const filled = Math.round((barWidth * event.step) / Math.max(event.steps, 1));
    const bar = "=".repeat(filled) + " ".repeat(barWidth - filled);
    const count = String(event.step).padStart(String(event.steps).length);
    return `epoch ${event.epoch + 1}/${event.epochs} [${bar}] ${count}/${event.steps} ` +
      `loss ${event.loss.toFixed(4)} acc ${(100 * event.accuracy).toFixed(1)}% eta ${
        clock(event.etaSeconds)
      }`;
  }
  const r = event.record;
  return `epoch ${r.epoch + 1}/${event.epochs} train loss ${r.trainLoss.toFixed(4)} acc ` +
    `${(100 * r.trainAccuracy).toFixed(1)}% | val loss ${r.valLoss.toFixed(4)} acc ` +
    `${(100 * r.valAccuracy).toFixed(1)}%${event.isBest ? " (best)" : ""} | ${r.seconds.toFixed(1)}s, ` +
    `eta ${clock(event.etaSeconds)}`;
}
