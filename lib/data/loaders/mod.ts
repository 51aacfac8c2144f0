/**
 * Loaders for a user's own data: the paper's CSV layout, video folders (ffmpeg) and AVE's released HDF5 features.
 *
 * @module
 */
export * from "./ave_classes.ts";
export * from "./ave_features.ts";
export * from "./csv_layout.ts";
export * from "./types.ts";
export * from "./video_folder.ts";
