/**
 * Resolving, diffing and labelling specs against the registry's defaults, with the metadata lookup
 * passed in (so the registry itself can label worst-case members).
 *
 * @module
 */
import type { AttackInfo } from "./types.ts";

/** Finds an attack's metadata by name. */
export type InfoLookup = (name: string) => AttackInfo | undefined;

/** Any spec-shaped value: a name and options (a typed `AttackSpec`, or a record read back from JSON). */
export interface SpecLike {
  attack: string;
  options?: object;
}

/** A spec with every option resolved to its value (budget left out, the loss as its id), for hashing. */
export interface ResolvedSpec {
  attack: string;
  options: Record<string, unknown>;
}

function isSpecLike(value: unknown): value is SpecLike {
  return typeof value === "object" && value !== null && "attack" in value && typeof value.attack === "string";
}

function lossIdOf(loss: unknown): string {
  if (typeof loss === "function") return `custom:${loss.name || "anonymous"}`;
  return loss === undefined ? "crossEntropy" : String(loss);
}

function members(value: unknown): SpecLike[] {
  return Array.isArray(value) ? value.filter(isSpecLike) : [];
}

/** Defaults filled in; a composite's `attacks` resolved in turn. */
export function resolveWith(lookup: InfoLookup, spec: SpecLike): ResolvedSpec {
  const info = lookup(spec.attack);
  const { budget: _budget, loss, attacks, ...rest }: Record<string, unknown> = { ...spec.options };
  const options: Record<string, unknown> = { ...info?.defaults, ...rest };
  if (loss !== undefined || (info?.losses.length ?? 0) > 0) options.loss = lossIdOf(loss);
  if (attacks !== undefined) {
    options.attacks = info?.composite ? members(attacks).map((m) => resolveWith(lookup, m)) : attacks;
  }
  return { attack: spec.attack, options };
}

/** The options that differ from the defaults, keys sorted; a composite's members as `{ attack, options }`. */
export function changedWith(lookup: InfoLookup, spec: SpecLike): Record<string, unknown> {
  const info = lookup(spec.attack);
  const resolved = resolveWith(lookup, spec).options;
  const defaults: Record<string, unknown> = { ...info?.defaults };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(resolved).sort()) {
    const value = resolved[key];
    if (key === "attacks" && info?.composite) {
      out[key] = members(value).map((m) => ({ attack: m.attack, options: changedWith(lookup, m) }));
    } else if (value !== defaults[key]) out[key] = value;
  }
  return out;
}

/** `name(key=value,…)` over changed options; a composite's members joined by `+`. */
export function labelWith(lookup: InfoLookup, spec: SpecLike): string {
  const info = lookup(spec.attack);
  const changed = changedWith(lookup, spec);
  const parts = Object.keys(changed).flatMap((key) =>
    key === "attacks" && info?.composite
      ? [members(changed[key]).map((m) => labelWith(lookup, m)).join("+")]
      : [`${key}=${String(changed[key])}`]
  );
  return parts.length ? `${spec.attack}(${parts.join(",")})` : spec.attack;
}
