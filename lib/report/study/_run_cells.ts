/**
 * The cells of a result set with the identity they are matched on (part of {@linkcode compareRuns}).
 *
 * @module
 */
import { attackKey, attackLabel } from "../attack_identity.ts";
import { stableStringify } from "../../cache/hash.ts";
import type { VisualUnits } from "../../attacks/types.ts";
import type { AttackSetting, ReportRecord } from "../types.ts";
import type { DefenseRecord } from "./defense_stage.ts";
import type { LocalizeRecord } from "./localize_stage.ts";

/** The records of one run, as `results.json` holds them. */
export interface ResultSet {
  /** Attack cells (Tables 1 and 2, the ε grid). */
  records: readonly ReportRecord[];
  /** Localization rows. @default none */
  localization?: readonly LocalizeRecord[];
  /** Defense rows. @default none */
  defense?: readonly DefenseRecord[];
}

/** What identifies a cell across runs (the seed is left out: two seeds are one of the use cases). */
export interface CellIdentity {
  /** `attack`, `attack grid`, `localize`, `defense`, `defense ablation` or `defense sanity`. */
  study: string;
  /** Dataset name. */
  dataset: string;
  /** Model id, localizer or defense row. */
  subject: string;
  /** Attack label with its non-default options (`none` clean, `worst case` for defense rows). */
  attack: string;
  /** Attacked modalities. */
  setting: AttackSetting;
  /** ε_a and ε_v. */
  epsAudio: number;
  epsVisual: number;
  /** ε_v's units and the model's per-channel std, for its pixel size in the output (not matched on). */
  visualUnits?: VisualUnits;
  visualStd?: readonly number[];
}

/** A cell's accuracy as a proportion. */
export interface CellCount {
  /** Samples classified correctly. */
  correct: number;
  /** Samples measured. */
  total: number;
}

export interface Entry {
  identity: CellIdentity;
  count: CellCount;
  /** Identity with the attack's options; cells match on it first. */
  exact: string;
  /** Identity with the attack's name only; unmatched cells pair on it when the pairing is unique. */
  loose: string;
}

function entry(
  identity: CellIdentity,
  count: CellCount,
  attack: { exact: string; loose: string },
  extra = "",
): Entry {
  const rest = [identity.study, identity.dataset, identity.subject, identity.setting, identity.epsAudio];
  const base = stableStringify([...rest, identity.epsVisual, extra]);
  return { identity, count, exact: `${base}${attack.exact}`, loose: `${base}${attack.loose}` };
}

export function entries(set: ResultSet): Entry[] {
  const attacks = set.records.map((r) =>
    entry(
      {
        study: r.study === "grid" ? "attack grid" : "attack",
        dataset: r.dataset,
        subject: r.model,
        attack: attackLabel(r),
        setting: r.setting,
        epsAudio: r.epsAudio,
        epsVisual: r.epsVisual,
        visualUnits: r.visualUnits,
        ...(r.visualStd ? { visualStd: r.visualStd } : {}),
      },
      { correct: r.correct, total: r.total },
      { exact: attackKey(r), loose: r.attack },
      `${r.norm} ${r.visualUnits}`,
    )
  );
  // Every map of a localization row is read off one classifier's run: where all maps of a row report the
  // same accuracy, the row is one cell (subject `localizer`), not one per map.
  const localized = set.localization ?? [];
  const row = (r: LocalizeRecord) =>
    stableStringify([r.dataset, r.attackLabel, r.setting, r.epsAudio, r.epsVisual]);
  const first = new Map<string, LocalizeRecord>(), agree = new Map<string, boolean>();
  for (const r of localized) {
    const seen = first.get(row(r));
    if (seen === undefined) first.set(row(r), r);
    else {agree.set(
        row(r),
        (agree.get(row(r)) ?? true) && seen.accuracy === r.accuracy && seen.samples === r.samples,
      );}
  }
  const shared = (r: LocalizeRecord) => agree.get(row(r)) ?? true;
  const localization = localized.filter((r) => !shared(r) || first.get(row(r)) === r).map((r) =>
    entry(
      {
        ...pick(r),
        study: "localize",
        subject: shared(r) ? "localizer" : r.localizer,
        attack: r.attackLabel,
      },
      { correct: Math.round(r.accuracy * r.samples), total: r.samples },
      { exact: r.attackLabel, loose: r.attack },
    )
  );
  const defense = (set.defense ?? []).map((r) => {
    const attack = r.setting === "clean" ? "none" : "worst case";
    return entry(
      {
        ...pick(r),
        study: r.study === "table" ? "defense" : `defense ${r.study}`,
        subject: r.defense,
        attack,
      },
      { correct: Math.round(r.accuracy.value * r.samples), total: r.samples },
      { exact: attack, loose: attack },
      `${r.variant} ${stableStringify(r.ablation)}`,
    );
  });
  return [...attacks, ...localization, ...defense];
}

/** The shared identity fields of a localization or defense row (their visual budgets are normalised). */
function pick(r: Pick<CellIdentity, "dataset" | "setting" | "epsAudio" | "epsVisual" | "visualStd">) {
  return {
    dataset: r.dataset,
    setting: r.setting,
    epsAudio: r.epsAudio,
    epsVisual: r.epsVisual,
    visualUnits: "normalized" as const,
    ...(r.visualStd ? { visualStd: r.visualStd } : {}),
  };
}
