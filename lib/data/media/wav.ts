/**
 * WAV reading and writing: PCM 8/16/24/32-bit integer and 32/64-bit float, any channel count (mixed down
 * to mono on reading), any sample rate (resampled with a Kaiser-windowed sinc).
 *
 * @module
 */
import { assertFinite } from "../assert_finite.ts";
import { DataFormatError } from "../errors.ts";
import { resampleAudio } from "./_resample.ts";

/** Sample encodings {@linkcode encodeWav} can write. */
export type WavFormat = "pcm8" | "pcm16" | "pcm24" | "pcm32" | "float32" | "float64";

/** A decoded WAV file, mixed down to mono. */
export interface WavAudio {
  /** Sample rate in Hz (after resampling, when a target rate was asked for). */
  sampleRate: number;
  /** Sample rate stored in the file, in Hz. */
  fileSampleRate: number;
  /** Channels stored in the file (the samples are their mean). */
  channels: number;
  /** Encoding stored in the file. */
  format: WavFormat;
  /** Mono samples in [-1, 1] (integer PCM is scaled by 2^(bits-1); float data is passed as stored, finite). */
  samples: Float32Array;
}

/** Options of {@linkcode decodeWav} and {@linkcode readWav}. */
export interface DecodeWavOptions {
  /** Resample to this rate in Hz (Kaiser-windowed sinc, 16 zero crossings). @default the file's rate */
  sampleRate?: number;
}

const FORMAT_PCM = 1, FORMAT_FLOAT = 3, FORMAT_EXTENSIBLE = 0xfffe;

function fourCc(view: DataView, offset: number): string {
  return String.fromCharCode(
    view.getUint8(offset),
    view.getUint8(offset + 1),
    view.getUint8(offset + 2),
    view.getUint8(offset + 3),
  );
}

const PCM_FORMATS: Partial<Record<number, WavFormat>> = { 8: "pcm8", 16: "pcm16", 24: "pcm24", 32: "pcm32" };
const FLOAT_FORMATS: Partial<Record<number, WavFormat>> = { 32: "float32", 64: "float64" };

function formatOf(code: number, bits: number, path: string): WavFormat {
  const format = code === FORMAT_PCM
    ? PCM_FORMATS[bits]
    : code === FORMAT_FLOAT
    ? FLOAT_FORMATS[bits]
    : undefined;
  if (format) return format;
  throw new DataFormatError(
    path,
    `Cannot read WAV: unsupported encoding (format code ${code}, ${bits} bits per sample)`,
  );
}

/**
 * Decodes the bytes of a WAV file to a mono waveform.
 *
 * @param bytes The whole file.
 * @param path The file name, used in error messages.
 * @param options Target sample rate.
 * @returns The mono waveform and what the file stored.
 * @throws {DataFormatError} If the file is not RIFF/WAVE, uses an unsupported encoding, has no data
 * chunk, is truncated (its data chunk runs past the end of the file), or holds non-finite float samples
 * (NaN or ±Infinity; the message counts them).
 *
 * @example Round trip through encodeWav
 * ```ts
 * import assert from "node:assert/strict";
 * const bytes = encodeWav([new Float32Array([0, 0.5, -0.5])], 8000, { format: "pcm16" });
 * const wav = decodeWav(bytes, "tone.wav");
 * assert.equal(wav.sampleRate, 8000);
 * assert.ok(Math.abs((wav.samples[1] as number) - 0.5) < 1e-4);
 * ```
 */
export function decodeWav(bytes: Uint8Array, path: string, options: DecodeWavOptions = {}): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || fourCc(view, 0) !== "RIFF" || fourCc(view, 8) !== "WAVE") {
    throw new DataFormatError(path, "Cannot read WAV: the file is not a RIFF/WAVE file");
  }
  let fmt: { code: number; channels: number; rate: number; bits: number; blockAlign: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = fourCc(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt ") {
      if (size < 16 || body + 16 > bytes.byteLength) {
        throw new DataFormatError(path, "Cannot read WAV: the fmt chunk is truncated");
      }
      let code = view.getUint16(body, true);
      if (code === FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= bytes.byteLength) {
        code = view.getUint16(body + 24, true);
      }
      fmt = {
        code,
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      if (!fmt) throw new DataFormatError(path, "Cannot read WAV: the data chunk comes before the fmt chunk");
      const available = bytes.byteLength - body;
      // 0xFFFFFFFF marks a stream whose length was unknown when the header was written.
      const length = size === 0xffffffff ? available - (available % fmt.blockAlign) : size;
      if (length > available) {
        throw new DataFormatError(
          path,
          `Cannot read WAV: the file is truncated (the data chunk declares ${length} bytes, ${available} are present)`,
        );
      }
      return decodeData(view, body, length, fmt, path, options);
    }
    offset = body + size + (size % 2);
  }
  throw new DataFormatError(path, fmt ? "Cannot read WAV: no data chunk" : "Cannot read WAV: no fmt chunk");
}

function decodeData(
  view: DataView,
  start: number,
  length: number,
  fmt: { code: number; channels: number; rate: number; bits: number; blockAlign: number },
  path: string,
  options: DecodeWavOptions,
): WavAudio {
  const format = formatOf(fmt.code, fmt.bits, path);
  const { channels, rate } = fmt;
  const bytesPerSample = fmt.bits / 8;
  if (channels < 1 || rate < 1 || fmt.blockAlign !== channels * bytesPerSample) {
    throw new DataFormatError(
      path,
      `Cannot read WAV: inconsistent fmt chunk (${channels} channels, ${rate} Hz, block ${fmt.blockAlign} bytes)`,
    );
  }
  if (length % fmt.blockAlign !== 0) {
    throw new DataFormatError(
      path,
      `Cannot read WAV: the file is truncated (the data chunk ends inside a sample frame)`,
    );
  }
  const frames = length / fmt.blockAlign;
  const read = sampleReader(view, format);
  const mono = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += read(start + (i * channels + c) * bytesPerSample);
    mono[i] = sum / channels;
  }
  assertFinite(mono, path, { action: "read WAV", unit: "samples" });
  const target = options.sampleRate ?? rate;
  if (!Number.isInteger(target) || target < 1) {
    throw new RangeError(
      `Cannot read WAV: sampleRate must be a positive integer, current value is ${target}`,
    );
  }
  const samples = target === rate ? mono : resampleAudio(mono, rate, target);
  return { sampleRate: target, fileSampleRate: rate, channels, format, samples };
}

function sampleReader(view: DataView, format: WavFormat): (offset: number) => number {
  switch (format) {
    case "pcm8":
      return (o) => (view.getUint8(o) - 128) / 128;
    case "pcm16":
      return (o) => view.getInt16(o, true) / 32768;
    case "pcm24":
      return (
        o,
      ) => ((view.getUint8(o) | (view.getUint8(o + 1) << 8) | (view.getInt8(o + 2) << 16)) / 8388608);
    case "pcm32":
      return (o) => view.getInt32(o, true) / 2147483648;
    case "float32":
      return (o) => view.getFloat32(o, true);
    case "float64":
      return (o) => view.getFloat64(o, true);
  }
}

/**
 * Reads a WAV file from disk (see {@linkcode decodeWav}).
 *
 * @param path The file.
 * @param options Target sample rate.
 * @returns The mono waveform.
 * @throws {DataFormatError} If the file is missing, unreadable or malformed.
 *
 * @example
 * ```ts ignore
 * const wav = await readWav("audio/violin/violin_0000.wav", { sampleRate: 11025 });
 * ```
 */
export async function readWav(path: string, options: DecodeWavOptions = {}): Promise<WavAudio> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    throw new DataFormatError(path, `Cannot read WAV: ${(error as Error).message}`, { cause: error });
  }
  return decodeWav(bytes, path, options);
}

/** Options of {@linkcode encodeWav}. */
export interface EncodeWavOptions {
  /** Sample encoding. @default "pcm16" */
  format?: WavFormat;
}

/**
 * Encodes channels of samples as a WAV file (integer formats clip to [-1, 1]).
 *
 * @param channels One array per channel, all the same length.
 * @param sampleRate Rate in Hz.
 * @param options Encoding.
 * @returns The file's bytes.
 * @throws {RangeError} If the channels differ in length or there is none.
 *
 * @example Stereo float WAV
 * ```ts
 * import assert from "node:assert/strict";
 * const bytes = encodeWav([new Float32Array(4), new Float32Array(4)], 16000, { format: "float32" });
 * assert.equal(bytes.byteLength, 44 + 4 * 2 * 4);
 * ```
 */
export function encodeWav(
  channels: readonly Float32Array[],
  sampleRate: number,
  options: EncodeWavOptions = {},
): Uint8Array {
  const { format = "pcm16" } = options;
  const first = channels[0];
  if (!first || channels.some((c) => c.length !== first.length)) {
    throw new RangeError("Cannot encode WAV: need at least one channel, all of the same length");
  }
  const bits = Number(format.replace(/\D+/, ""));
  const bytesPerSample = bits / 8;
  const blockAlign = channels.length * bytesPerSample;
  const dataLength = first.length * blockAlign;
  const bytes = new Uint8Array(44 + dataLength);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < 4; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataLength, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, format.startsWith("float") ? FORMAT_FLOAT : FORMAT_PCM, true);
  view.setUint16(22, channels.length, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bits, true);
  ascii(36, "data");
  view.setUint32(40, dataLength, true);
  const clip = (x: number) => Math.max(-1, Math.min(1, x));
  for (let i = 0; i < first.length; i++) {
    for (let c = 0; c < channels.length; c++) {
      const x = (channels[c] as Float32Array)[i] as number;
      const o = 44 + i * blockAlign + c * bytesPerSample;
      if (format === "pcm8") view.setUint8(o, Math.round(clip(x) * 127) + 128);
      else if (format === "pcm16") view.setInt16(o, Math.round(clip(x) * 32767), true);
      else if (format === "pcm24") {
        const v = Math.round(clip(x) * 8388607);
        view.setUint8(o, v & 0xff);
        view.setUint8(o + 1, (v >> 8) & 0xff);
        view.setUint8(o + 2, (v >> 16) & 0xff);
      } else if (format === "pcm32") view.setInt32(o, Math.round(clip(x) * 2147483647), true);
      else if (format === "float32") view.setFloat32(o, x, true);
      else view.setFloat64(o, x, true);
    }
  }
  return bytes;
}
