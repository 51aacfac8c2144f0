/**
 * Decoding media files: WAV, JPEG/PNG frames and ffmpeg.
 *
 * @module
 */
export * from "./ffmpeg.ts";
export * from "./image.ts";
export * from "./wav.ts";
