/**
 * Attack identity of report records: a record keeps the registry name (`attack`) and the options that
 * differ from the defaults (`attackOptions`) apart; the display label and the grouping key are derived
 * here, and the default attack of a chart comes from the registry's metadata.
 *
 * @module
 */
import { attackInfo, attackNames } from "../attacks/registry.ts";
import { specLabel } from "../attacks/spec_label.ts";
import { stableStringify } from "../cache/hash.ts";
import type { ReportRecord } from "./types.ts";

/** The part of a record that names its attack. */
export type AttackIdentity = Pick<ReportRecord, "attack" | "attackOptions">;

/**
 * The display label of a record's attack: the name plus every non-default option, e.g.
 * `mim(projection=asReleased)`; `none` for clean records.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(attackLabel({ attack: "mim", attackOptions: { projection: "asReleased" } }), "mim(projection=asReleased)");
 * assert.equal(attackLabel({ attack: "pgd", attackOptions: {} }), "pgd");
 * ```
 */
export function attackLabel(record: AttackIdentity): string {
  return record.attack === "none"
    ? "none"
    : specLabel({ attack: record.attack, options: record.attackOptions });
}

/**
 * The key records are grouped by attack with: the name for default options, else the name plus the
 * options as stable JSON, so that two specs of one name stay apart.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(attackKey({ attack: "pgd", attackOptions: {} }), "pgd");
 * assert.equal(attackKey({ attack: "pgd", attackOptions: { steps: 3 } }), 'pgd{"steps":3}');
 * ```
 */
export function attackKey(record: AttackIdentity): string {
  const options = record.attackOptions ?? {};
  return Object.keys(options).length === 0 ? record.attack : `${record.attack}${stableStringify(options)}`;
}

/**
 * The attacks of some records (clean left out), one representative record per {@linkcode attackKey},
 * in first-seen order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const rows = [{ attack: "pgd", attackOptions: {} }, { attack: "none", attackOptions: {} }, { attack: "pgd", attackOptions: {} }];
 * assert.equal(distinctAttacks(rows).length, 1);
 * ```
 */
export function distinctAttacks<R extends AttackIdentity>(records: readonly R[]): R[] {
  const seen = new Map<string, R>();
  for (const r of records) if (r.attack !== "none" && !seen.has(attackKey(r))) seen.set(attackKey(r), r);
  return [...seen.values()];
}

/**
 * The key of the attack that `attack` names among the records: a key, a label or a bare name (the
 * first spec of that name); `attack` itself when nothing matches.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const rows = [{ attack: "mim", attackOptions: { projection: "asReleased" } }];
 * assert.equal(findAttack(rows, "mim"), 'mim{"projection":"asReleased"}');
 * ```
 */
export function findAttack(records: readonly AttackIdentity[], attack: string): string {
  const attacks = distinctAttacks(records);
  const match = attacks.find((r) => attackKey(r) === attack) ??
    attacks.find((r) => attackLabel(r) === attack) ??
    attacks.find((r) => r.attack === attack);
  return match ? attackKey(match) : attack;
}

function rank(name: string): number {
  const info = attackInfo(name);
  if (!info) return 3;
  if (info.composite) return 2;
  return info.iterative ? 0 : 1;
}

/**
 * The attack a chart shows when none is named, as an {@linkcode attackKey}: by registry metadata,
 * iterative single attacks first, then one-step ones, then composite ones, then unknown names; ties go
 * by registry order, then first seen. `"none"` when no record is attacked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const rows = [{ attack: "fgsm", attackOptions: {} }, { attack: "mim", attackOptions: {} }, { attack: "pgd", attackOptions: {} }];
 * assert.equal(defaultAttack(rows), "pgd");
 * ```
 */
export function defaultAttack(records: readonly AttackIdentity[]): string {
  const order = attackNames();
  const position = (name: string) => {
    const at = order.indexOf(name);
    return at < 0 ? order.length : at;
  };
  const attacks = distinctAttacks(records);
  const best =
    attacks.map((r, seen) => ({ r, seen })).sort((a, b) =>
      rank(a.r.attack) - rank(b.r.attack) || position(a.r.attack) - position(b.r.attack) || a.seen - b.seen
    )[0];
  return best ? attackKey(best.r) : "none";
}
