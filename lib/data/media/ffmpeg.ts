/**
 * Calls to the `ffmpeg` and `ffprobe` programs (Debian package `ffmpeg`), with clear errors when they are
 * missing or a file cannot be decoded.
 *
 * @module
 */
import { DataFormatError } from "../errors.ts";

/** The command that installs ffmpeg on Debian/Ubuntu. */
export const FFMPEG_INSTALL_COMMAND = "apt-get install -y --no-install-recommends ffmpeg";

/** Where to find the programs. */
export interface FfmpegOptions {
  /** The ffmpeg executable. @default "ffmpeg" */
  ffmpeg?: string;
  /** The ffprobe executable. @default "ffprobe" */
  ffprobe?: string;
}

/** What {@linkcode probeMedia} found in a file. */
export interface MediaInfo {
  /** Duration in seconds (container duration, else the longest stream). */
  duration: number;
  /** Whether the file has an audio stream. */
  hasAudio: boolean;
  /** The first video stream's frame size, or undefined if there is none. */
  video?: { width: number; height: number };
}

async function spawn(program: string, args: string[], path: string): Promise<Uint8Array> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(program, { args, stdin: "null", stdout: "piped", stderr: "piped" })
      .output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `Cannot decode '${path}': '${program}' was not found on PATH; install it with \`${FFMPEG_INSTALL_COMMAND}\``,
        { cause: error },
      );
    }
    throw error;
  }
  if (output.code !== 0) {
    const message = new TextDecoder().decode(output.stderr).trim().split("\n").slice(-3).join("; ");
    throw new DataFormatError(
      path,
      `Cannot decode with ${program}: ${message || `exit code ${output.code}`}`,
    );
  }
  return output.stdout;
}

/**
 * Runs `ffmpeg -v error -nostdin <args>` and returns its standard output.
 *
 * @param args Arguments after the logging flags.
 * @param path The media file concerned, named in errors.
 * @param options Which executable to run.
 * @returns The bytes ffmpeg wrote to `pipe:1`.
 * @throws {Error} If ffmpeg is not installed (the message names the install command).
 * @throws {DataFormatError} If ffmpeg exits with an error (the message quotes ffmpeg's last lines).
 *
 * @example Decode a clip's audio to 11025 Hz mono float PCM
 * ```ts ignore
 * const bytes = await runFfmpeg(["-i", "clip.mp4", "-vn", "-ac", "1", "-ar", "11025", "-f", "f32le", "pipe:1"], "clip.mp4");
 * const pcm = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
 * ```
 */
export function runFfmpeg(args: string[], path: string, options: FfmpegOptions = {}): Promise<Uint8Array> {
  return spawn(options.ffmpeg ?? "ffmpeg", ["-v", "error", "-nostdin", ...args], path);
}

/**
 * Whether ffmpeg can be run.
 *
 * @param options Which executable to try.
 * @returns True if `ffmpeg -version` succeeds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(await hasFfmpeg({ ffmpeg: "no-such-ffmpeg-program" }), false);
 * ```
 */
export async function hasFfmpeg(options: FfmpegOptions = {}): Promise<boolean> {
  try {
    const { code } = await new Deno.Command(options.ffmpeg ?? "ffmpeg", {
      args: ["-version"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return code === 0;
  } catch {
    return false;
  }
}

interface ProbeJson {
  streams?: { codec_type?: string; width?: number; height?: number; duration?: string }[];
  format?: { duration?: string };
}

/**
 * Reads the streams and duration of a media file with ffprobe.
 *
 * @param path The file.
 * @param options Which executable to run.
 * @returns Duration, audio presence and frame size.
 * @throws {Error} If ffprobe is not installed.
 * @throws {DataFormatError} If ffprobe cannot read the file or finds no duration.
 *
 * @example
 * ```ts ignore
 * const info = await probeMedia("clip.mp4");
 * if (!info.hasAudio) console.log("no audio track");
 * ```
 */
export async function probeMedia(path: string, options: FfmpegOptions = {}): Promise<MediaInfo> {
  const stdout = await spawn(options.ffprobe ?? "ffprobe", [
    "-v",
    "error",
    "-show_entries",
    "stream=codec_type,width,height,duration:format=duration",
    "-of",
    "json",
    path,
  ], path);
  let json: ProbeJson;
  try {
    json = JSON.parse(new TextDecoder().decode(stdout));
  } catch (error) {
    throw new DataFormatError(path, "Cannot probe media: ffprobe printed no valid JSON", { cause: error });
  }
  const streams = json.streams ?? [];
  const durations = [json.format?.duration, ...streams.map((s) => s.duration)]
    .map(Number)
    .filter((d) => Number.isFinite(d) && d > 0);
  const duration = Number(json.format?.duration) > 0
    ? Number(json.format?.duration)
    : Math.max(0, ...durations);
  if (!(duration > 0)) throw new DataFormatError(path, "Cannot probe media: the file has no known duration");
  const videoStream = streams.find((s) => s.codec_type === "video" && s.width && s.height);
  const width = videoStream?.width, height = videoStream?.height;
  return {
    duration,
    hasAudio: streams.some((s) => s.codec_type === "audio"),
    ...(width && height ? { video: { width, height } } : {}),
  };
}
