/**
 * Per-clip audio of `av-instruments`: a random phrase of the class's General MIDI instrument, rendered
 * from one of three soundfonts, loudness-normalised, degraded according to the clip's audio mode.
 *
 * @module
 */
import type { Rng } from "../../engine/random.ts";
import type { AudioDegradation, DegradationMode } from "./_modes.ts";
import { drawRange, otherClass } from "./_modes.ts";
import {
  biquad,
  colouredNoise,
  dbToGain,
  finishWaveform,
  mixInto,
  type NoiseColour,
  normaliseRms,
  rms,
} from "./_dsp.ts";
import { type Phrase, type PhraseNote, type PhraseRenderer, SOUNDFONTS } from "./_synth.ts";

/** How a class sounds: GM programs (or drum keys on the percussion channel) and a pitch range. */
export interface InstrumentVoice {
  /** GM programs (0-based), one drawn per clip; empty for percussion. */
  programs: readonly number[];
  /** Percussion keys, one or more drawn per note; empty for pitched instruments. */
  drumKeys: readonly number[];
  /** Lowest and highest MIDI key. */
  range: readonly [number, number];
  /** Whether chords (added third/fifth) may be played. */
  chords: boolean;
}

/** Draws a random phrase of about `seconds` for `voice`. */
function randomPhrase(voice: InstrumentVoice, seconds: number, rng: Rng): Phrase {
  const drums = voice.drumKeys.length > 0;
  const count = drums ? 3 + rng.int(6) : 2 + rng.int(5);
  const start = rng.range(0, 0.12);
  const step = (seconds - start) / count;
  const notes: PhraseNote[] = [];
  let key = voice.range[0] + rng.int(voice.range[1] - voice.range[0] + 1);
  for (let n = 0; n < count; n++) {
    const onset = start + n * step + rng.range(0, 0.2) * step;
    const duration = step * rng.range(0.6, 1.1);
    const velocity = 60 + rng.int(61);
    if (drums) {
      notes.push({ key: rng.pick(voice.drumKeys), start: onset, duration: 0.1, velocity });
      continue;
    }
    key = Math.min(voice.range[1], Math.max(voice.range[0], key + rng.int(9) - 4));
    notes.push({ key, start: onset, duration, velocity });
    if (voice.chords && rng.chance(0.3)) {
      for (const interval of [rng.chance(0.5) ? 3 : 4, 7]) {
        notes.push({ key: key + interval, start: onset, duration, velocity });
      }
    }
  }
  return {
    soundfont: rng.int(SOUNDFONTS.length),
    program: drums ? "drums" : rng.pick(voice.programs),
    notes,
  };
}

/** One phrase of `voice`, placed in a clip of `length` samples, at unit RMS. */
function phraseAudio(
  voice: InstrumentVoice,
  render: PhraseRenderer,
  length: number,
  sampleRate: number,
  rng: Rng,
): Float32Array {
  const audio = render(randomPhrase(voice, length / sampleRate, rng), length);
  normaliseRms(audio, 1);
  return audio;
}

/**
 * Renders the waveform of one clip. Clean: the phrase over background noise at `cleanSnrDb`. Hard: at
 * `hardSnrDb`, low-passed at 500–1500 Hz with probability 0.5 ("muffled"). Misleading: another class's
 * phrase, as hard. Absent: noise only. Clean and hard clips get another class's phrase at
 * `distractorGainDb` with `distractorProbability`.
 */
export function renderInstrumentAudio(
  label: number,
  mode: DegradationMode,
  voices: readonly InstrumentVoice[],
  render: PhraseRenderer,
  length: number,
  sampleRate: number,
  config: AudioDegradation,
  rng: Rng,
): Float32Array {
  const out = new Float32Array(length);
  let level = 1;
  if (mode !== "absent") {
    const source = mode === "misleading" ? otherClass(label, voices.length, rng) : label;
    const phrase = phraseAudio(voices[source] as InstrumentVoice, render, length, sampleRate, rng);
    if (mode !== "clean" && rng.chance(0.5)) biquad(phrase, "lowpass", rng.range(500, 1500), sampleRate);
    mixInto(out, phrase, 0, 1);
    level = Math.max(1e-3, rms(out));
    if (mode !== "misleading" && rng.chance(config.distractorProbability)) {
      const other = otherClass(label, voices.length, rng);
      const distractor = phraseAudio(voices[other] as InstrumentVoice, render, length, sampleRate, rng);
      mixInto(out, distractor, 0, level * dbToGain(drawRange(rng, config.distractorGainDb)));
    }
  }
  const colour: NoiseColour = rng.pick(["white", "pink", "brown"] as const);
  const noise = colouredNoise(length, colour, rng);
  const snr = mode === "clean" ? drawRange(rng, config.cleanSnrDb) : drawRange(rng, config.hardSnrDb);
  mixInto(out, noise, 0, mode === "absent" ? 1 : level / dbToGain(snr));
  finishWaveform(out, rng.range(0.04, 0.1));
  return out;
}
