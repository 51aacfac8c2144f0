/**
 * The one command-line helper of the tasks: flag tables with help text and defaults, `--help` (exit 0),
 * usage errors (one line, exit 2, before any work), other failures (one line naming the problem, exit 1;
 * `--debug` adds the stack), and the terminal sink of the one progress printer (lib's `progressPrinter`).
 *
 * @module
 */
import { parseArgs } from "node:util";

/** A usage error: a flag or argument out of range. Exit status 2. */
export class UsageError extends Error {}

/** One flag of a task. */
export interface Flag {
  type: "string" | "boolean";
  /** What it does, one line. */
  help: string;
  /** Placeholder of the value in `--help`, e.g. `N` or `DIR`. @default "VALUE" */
  value?: string;
  /** Default as shown in `--help` (and given to the task when the flag is absent). */
  default?: string | boolean;
  /** The flag may repeat. */
  multiple?: boolean;
}

/** A task's command line. */
export interface Cli {
  /** e.g. `deno task attack`. */
  command: string;
  /** Usage lines after the command, e.g. `[options]` or `check <path> [options]`. */
  usage: string[];
  /** What the task does, a few lines. */
  summary: string;
  flags: Record<string, Flag>;
  /** Extra text after the flag list. */
  notes?: string;
}

/** Parsed flags: string or boolean values (arrays for repeated flags) and positionals. */
export interface Parsed {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

const COMMON: Record<string, Flag> = {
  help: { type: "boolean", help: "print this help and exit" },
  debug: { type: "boolean", help: "on a failure, print the stack trace too" },
};

/** Splits `text` into lines of at most `width` characters at spaces. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > Math.max(width, 30)) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/** The `--help` text: usage, summary, every flag with what it does and its default. */
export function helpText(cli: Cli): string {
  const flags = { ...cli.flags, ...COMMON };
  const rows = Object.entries(flags).map(([name, flag]) => {
    const left = `  --${name}${flag.type === "string" ? ` ${flag.value ?? "VALUE"}` : ""}`;
    const shown = flag.default === undefined || flag.default === false ? "" : ` [default: ${flag.default}]`;
    return [left, `${flag.help}${flag.multiple ? " (repeatable)" : ""}${shown}`] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    ...cli.usage.map((line, i) => `${i === 0 ? "Usage:" : "      "} ${cli.command} ${line}`),
    "",
    cli.summary,
    "",
    "Options:",
    ...rows.flatMap(([left, right]) =>
      wrap(right, 100 - width).map((line, i) => `${(i ? "" : left).padEnd(width)}${line}`)
    ),
    ...(cli.notes ? ["", cli.notes] : []),
  ].join("\n");
}

/** Parses `args` against the flag table; unknown flags and missing values are usage errors. */
export function parseFlags(cli: Cli, args: string[]): Parsed {
  const options = Object.fromEntries(
    Object.entries({ ...cli.flags, ...COMMON }).map(([name, flag]) => [name, {
      type: flag.type,
      ...(flag.multiple ? { multiple: true } : {}),
      ...(flag.default !== undefined && !flag.multiple ? { default: flag.default } : {}),
    }]),
  );
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values, positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split("\n")[0] ?? "" : String(error));
  }
}

/** A string flag's value (the last one when repeated), or undefined. */
export function stringFlag(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === "string" ? last : undefined;
}

/** A repeatable string flag's values, comma lists split, or undefined when absent. */
export function listFlag(parsed: Parsed, name: string): string[] | undefined {
  const value = parsed.values[name];
  if (value === undefined) return undefined;
  const all = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
  const list = all.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
  if (list.length === 0) throw new UsageError(`--${name} needs at least one value`);
  return list;
}

/** A boolean flag. */
export function booleanFlag(parsed: Parsed, name: string): boolean {
  return parsed.values[name] === true;
}

/** An integer flag within `[min, max]`, or undefined when absent. */
export function integerFlag(
  parsed: Parsed,
  name: string,
  min = 1,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const text = stringFlag(parsed, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new UsageError(`--${name} must be ${range}, current value is '${text}'`);
  }
  return value;
}

/** A number flag within `(min, max]` (`exclusiveMin`) or `[min, max]`, or undefined when absent. */
export function numberFlag(
  parsed: Parsed,
  name: string,
  range: { min: number; max?: number; exclusiveMin?: boolean },
): number | undefined {
  const text = stringFlag(parsed, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  const { min, max = Infinity, exclusiveMin = false } = range;
  if (
    text.trim() === "" || !Number.isFinite(value) || (exclusiveMin ? value <= min : value < min) ||
    value > max
  ) {
    const bound = `${exclusiveMin ? ">" : ">="} ${min}${Number.isFinite(max) ? ` and <= ${max}` : ""}`;
    throw new UsageError(`--${name} must be a number ${bound}, current value is '${text}'`);
  }
  return value;
}

/** A flag that must be one of `allowed`, or `fallback` when absent. */
export function choiceFlag<T extends string>(
  parsed: Parsed,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T;
export function choiceFlag<T extends string>(
  parsed: Parsed,
  name: string,
  allowed: readonly T[],
): T | undefined;
export function choiceFlag<T extends string>(
  parsed: Parsed,
  name: string,
  allowed: readonly T[],
  fallback?: T,
): T | undefined {
  const text = stringFlag(parsed, name);
  if (text === undefined) return fallback;
  const found = allowed.find((a) => a === text);
  if (found === undefined) {
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, current value is '${text}'`);
  }
  return found;
}

/** Writes a line to stderr. */
export function log(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/**
 * Where the tasks' progress lines go (stderr): on a terminal a progress line is redrawn in place, in logs
 * each is its own line; `final` lines always stay.
 */
export function terminalWriter(): (line: string, final?: boolean) => void {
  const tty = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  const write = (text: string) => Deno.stderr.writeSync(encoder.encode(text));
  let open = false;
  return (line, final = true) => {
    if (tty && !final) {
      write(`\r\x1b[2K${line}`);
      open = true;
      return;
    }
    write(`${open ? "\r\x1b[2K" : ""}${line}\n`);
    open = false;
  };
}

/**
 * One line for a failure: the error's first line, or for a failure inside the tensor backend (the wasm
 * heap exhausted, a missing kernel) what happened and what to do instead of the raw wasm message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(failureLine(new Error("RuntimeError: memory access out of bounds")), /ran out of memory/);
 * assert.equal(failureLine(new Error("Cannot read x: y\nmore")), "Cannot read x: y");
 * ```
 */
export function failureLine(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (
    /memory access out of bounds|Aborted\(|Cannot enlarge memory|out of memory|Array buffer allocation failed/i
      .test(message)
  ) {
    return "The tensor backend ran out of memory (the wasm backend's heap is 4 GiB at most): lower " +
      "--batch-size (and --samples for attacks), or use --backend webgpu or tensorflow";
  }
  const kernel = /Kernel '([^']+)' not registered for backend '([^']+)'/.exec(message);
  if (kernel) {
    return `The tensor backend '${kernel[2]}' has no kernel '${kernel[1]}': use --backend wasm or cpu`;
  }
  const first = error instanceof Error ? error.message : String(error);
  return first.split("\n")[0] ?? "";
}

/**
 * Runs a task: parses its flags (`--help` prints the help and exits 0), calls `main`, and exits with its
 * status. A {@linkcode UsageError} (or a RangeError thrown while `main` validates, before `ready()` is
 * called) exits 2 with one line and a pointer to `--help`; any other failure exits 1 with one line
 * (`--debug`: the stack).
 */
export async function runCli(
  cli: Cli,
  main: (parsed: Parsed, ready: () => void) => Promise<number>,
): Promise<never> {
  let debug = Deno.args.includes("--debug");
  let started = false;
  // A failure outside the awaited chain (a rejected promise nobody awaited) gets the same one line.
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    log(`${cli.command} failed: ${failureLine(event.reason)}`);
    if (debug && event.reason instanceof Error && event.reason.stack) log(event.reason.stack);
    Deno.exit(1);
  });
  try {
    const parsed = parseFlags(cli, Deno.args);
    debug = booleanFlag(parsed, "debug");
    if (booleanFlag(parsed, "help")) {
      console.log(helpText(cli));
      Deno.exit(0);
    }
    Deno.exit(await main(parsed, () => started = true));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UsageError || (!started && error instanceof RangeError)) {
      log(`${cli.command}: ${message.split("\n")[0]} (see --help)`);
      Deno.exit(2);
    }
    log(`${cli.command} failed: ${failureLine(error)}`);
    if (debug && error instanceof Error && error.stack) log(error.stack);
    Deno.exit(1);
  }
}
