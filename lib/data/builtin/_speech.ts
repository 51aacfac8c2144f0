/**
 * A bank of spoken digits synthesized with eSpeak-NG compiled to wasm (npm `espeak-ng`), cached on disk.
 *
 * Starting the wasm module costs ~200 ms per call, so each voice setting speaks all ten words in one
 * call with long word gaps (`-g`), and the words are cut apart at the silences; a call whose cut does
 * not give exactly ten words falls back to one call per word. The 22 050 Hz output is resampled once
 * to the dataset rate with the Kaiser-windowed sinc of `_dsp.ts`.
 *
 * @module
 */
import { hashValue, sha256Hex } from "../../cache/hash.ts";
import { writeFileAtomic } from "../../cache/atomic.ts";
import { packageFile } from "./_assets.ts";
import { removeMean, resampleByRatio } from "./_dsp.ts";
import { DataFormatError } from "../errors.ts";

/** The ten digit words, index = digit. */
export const DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

/** Which voices, pitches and speeds the bank holds. */
export interface SpeechBankSpec {
  /** eSpeak-NG voice names with optional variant (`en-gb-scotland+m4`). */
  voices: readonly string[];
  /** `-p` pitch values (0–99). */
  pitches: readonly number[];
  /** `-s` speeds in words per minute. */
  speeds: readonly number[];
  /** Output sample rate in Hz. */
  sampleRate: number;
}

/** Utterances per digit (`utterances[digit][k]`), at `sampleRate`, with their voice setting. */
export interface SpeechBank {
  /** Sample rate in Hz. */
  sampleRate: number;
  /** Waveforms, `[digit][k]`, each trimmed to the word with 30 ms margins, peak-free (not normalised). */
  utterances: Float32Array[][];
}

type Progress = (p: { stage: string; done: number; total: number }) => void;

interface EspeakInstance {
  FS: { readFile(path: string): Uint8Array };
}
type EspeakFactory = (module: Record<string, unknown>) => Promise<EspeakInstance>;

async function loadEspeak(): Promise<(args: string[]) => Promise<Float32Array>> {
  const imported: { default: unknown } = await import("espeak-ng");
  const factory = imported.default as EspeakFactory;
  const wasm = await WebAssembly.compile(
    await Deno.readFile(packageFile("espeak-ng", "dist/espeak-ng.wasm")),
  );
  return async (args) => {
    const instance = await factory({
      arguments: ["-w", "out.wav", ...args],
      // eSpeak-NG seeds its noise generator from the clock (breathy variants such as +f5 use it):
      // a frozen clock makes every call reproducible.
      instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) => {
        const env = { ...imports.env, emscripten_date_now: () => 0, emscripten_get_now: () => 0 };
        WebAssembly.instantiate(wasm, { ...imports, env }).then(done);
        return {};
      },
      print: () => {},
      printErr: () => {},
    });
    const wav = instance.FS.readFile("out.wav");
    const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
    if (wav.length < 44 || view.getUint32(24, true) !== 22050 || view.getUint16(34, true) !== 16) {
      throw new DataFormatError(
        "espeak-ng out.wav",
        "Cannot synthesize speech: eSpeak-NG returned an unexpected WAV",
      );
    }
    const count = Math.floor((wav.length - 44) / 2);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getInt16(44 + 2 * i, true) / 32768;
    return out;
  };
}

/** Cuts a recording into spoken words at silences of at least 250 ms (10 ms frames). */
function splitWords(signal: Float32Array, sampleRate: number): Float32Array[] {
  const hop = Math.round(sampleRate * 0.01);
  const frames = Math.floor(signal.length / hop);
  const energy = new Float32Array(frames);
  let peak = 0;
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let i = 0; i < hop; i++) sum += (signal[f * hop + i] as number) ** 2;
    energy[f] = Math.sqrt(sum / hop);
    peak = Math.max(peak, energy[f] as number);
  }
  const threshold = peak * 0.02;
  const words: Float32Array[] = [];
  const margin = 3;
  let start = -1, quiet = 0;
  const close = (end: number) => {
    const from = Math.max(0, (start - margin) * hop), to = Math.min(signal.length, (end + margin) * hop);
    words.push(signal.slice(from, to));
    start = -1;
  };
  for (let f = 0; f < frames; f++) {
    if ((energy[f] as number) > threshold) {
      if (start < 0) start = f;
      quiet = 0;
    } else if (start >= 0 && ++quiet >= 25) {
      close(f - quiet + 1);
      quiet = 0;
    }
  }
  if (start >= 0) close(frames);
  return words;
}

/** Synthesizes the bank (no cache). */
export async function synthesizeSpeechBank(spec: SpeechBankSpec, onProgress?: Progress): Promise<SpeechBank> {
  const speak = await loadEspeak();
  const utterances: Float32Array[][] = DIGIT_WORDS.map(() => []);
  const settings = spec.voices.flatMap((voice) =>
    spec.pitches.flatMap((pitch) => spec.speeds.map((speed) => ({ voice, pitch, speed })))
  );
  const ratio = spec.sampleRate / 22050;
  for (let s = 0; s < settings.length; s++) {
    const { voice, pitch, speed } = settings[s] as { voice: string; pitch: number; speed: number };
    const base = ["-v", voice, "-p", String(pitch), "-s", String(speed)];
    let words = splitWords(await speak([...base, "-g", "60", DIGIT_WORDS.join(" ")]), 22050);
    if (words.length !== DIGIT_WORDS.length) {
      words = [];
      for (const word of DIGIT_WORDS) {
        const single = splitWords(await speak([...base, word]), 22050);
        if (single.length === 0) {
          throw new DataFormatError(
            `espeak-ng ${voice}`,
            `Cannot synthesize '${word}': the output is silent`,
          );
        }
        words.push(single.reduce((a, b) => (a.length >= b.length ? a : b)));
      }
    }
    words.forEach((word, digit) => {
      const resampled = resampleByRatio(word, ratio);
      removeMean(resampled);
      utterances[digit]?.push(resampled);
    });
    onProgress?.({ stage: "speech bank", done: s + 1, total: settings.length });
  }
  return { sampleRate: spec.sampleRate, utterances };
}

/**
 * Returns the speech bank for `spec`, from `${cacheDir}/builtin/speech-<hash>.{f32,json}` when present
 * and intact (byte count and SHA-256 match), else synthesizes and caches it.
 */
export async function loadSpeechBank(
  spec: SpeechBankSpec,
  cacheDir: string,
  onProgress?: Progress,
): Promise<SpeechBank> {
  const key = await hashValue({ kind: "espeak-digit-bank", version: 2, espeak: "1.0.2", spec });
  const stem = `${cacheDir}/builtin/speech-${key.slice(0, 24)}`;
  try {
    const manifest = JSON.parse(await Deno.readTextFile(`${stem}.json`)) as {
      key: string;
      sha256: string;
      lengths: number[][];
    };
    const bytes = await Deno.readFile(`${stem}.f32`);
    if (manifest.key === key && (await sha256Hex(bytes)) === manifest.sha256) {
      const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      let offset = 0;
      const utterances = manifest.lengths.map((row) =>
        row.map((length) => {
          const part = all.slice(offset, offset + length);
          offset += length;
          return part;
        })
      );
      if (offset === all.length && utterances.length === DIGIT_WORDS.length) {
        return { sampleRate: spec.sampleRate, utterances };
      }
    }
  } catch {
    // missing or unreadable: rebuild below
  }
  const bank = await synthesizeSpeechBank(spec, onProgress);
  const lengths = bank.utterances.map((row) => row.map((u) => u.length));
  const total = lengths.flat().reduce((a, b) => a + b, 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const row of bank.utterances) for (const u of row) all.set(u, (offset += u.length) - u.length);
  const bytes = new Uint8Array(all.buffer);
  await writeFileAtomic(`${stem}.f32`, bytes);
  await writeFileAtomic(`${stem}.json`, JSON.stringify({ key, sha256: await sha256Hex(bytes), lengths }));
  return bank;
}
