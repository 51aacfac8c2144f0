/**
 * The pipeline's side of cell batches: the owner of a cell issued in a batch, and the progress line that
 * says what a shard owns of a batch.
 *
 * @module
 */
import type { CellBatch, CellCost } from "./cell_partition.ts";
import type { MemoOptions } from "../types.ts";

/** The shard that owns a cell of a batch (undefined outside a batch). */
export function batchOwner(
  cell: string,
  namespace: string,
  options: Pick<MemoOptions<unknown>, "batch" | "label">,
): number | undefined {
  if (options.batch === undefined) return undefined;
  if (options.label === undefined) {
    throw new TypeError(`Cannot issue cell ${cell}: a cell of a batch needs a label`);
  }
  const owner = options.batch.ownerOf(namespace, options.label);
  if (owner === undefined) {
    throw new TypeError(
      `Cannot issue cell ${cell}: its batch has no cell '${options.label}' in namespace '${namespace}' ` +
        "(declare it in context.cellBatch)",
    );
  }
  return owner;
}

/** What a shard owns of a batch, e.g. `shard 0/2 owns 3 of 5 cells (61% of their estimated cost)`. */
export function shareMessage(
  cells: readonly CellCost[],
  batch: CellBatch,
  index: number,
  count: number,
): string {
  const mine = cells.filter((cell) => batch.ownerOf(cell.namespace, cell.label) === index);
  const total = cells.reduce((sum, cell) => sum + cell.cost, 0);
  const own = mine.reduce((sum, cell) => sum + cell.cost, 0);
  const share = total > 0 ? `${Math.round((100 * own) / total)}%` : "none";
  return `shard ${index}/${count} owns ${mine.length} of ${cells.length} cells (${share} of their estimated cost)`;
}
