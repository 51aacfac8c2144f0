/**
 * On-disk cache of a generated built-in dataset: one little-endian binary file per array plus a JSON
 * manifest with each file's byte count and SHA-256 and its own content hash, all written atomically
 * (manifest last). A missing, truncated, altered or swapped file (or an edited manifest) makes the whole
 * entry read as damaged, so it is rebuilt, never used; each array file is hashed once, as it is read.
 *
 * @module
 */
import { hashValue, sha256Hex } from "../../cache/hash.ts";
import { writeFileAtomic } from "../../cache/atomic.ts";
import type { SplitName } from "../types.ts";
import type { BuiltinProgress, GeneratedDataset, GeneratedSplit } from "./_types.ts";

const SPLITS: readonly SplitName[] = ["train", "val", "test"];

type ArrayKind = "f32" | "i32" | "u8";
interface FileEntry {
  bytes: number;
  sha256: string;
}
interface Manifest {
  key: string;
  classes: string[];
  sampleRate: number;
  audioLength: number;
  imageShape: [number, number, number];
  styles?: string[];
  counts: Record<SplitName, number>;
  files: Record<string, FileEntry>;
  /** SHA-256 of the stable JSON of the manifest without this field. */
  contentSha256: string;
}

/** What {@linkcode readGenerated} found: the data, or why the entry cannot be used. */
export type ReadGenerated = { data: GeneratedDataset } | { problem: string };

function manifestHash(manifest: Partial<Manifest>): Promise<string> {
  const { contentSha256: _, ...rest } = manifest;
  return hashValue(rest);
}

function arraysOf(split: GeneratedSplit): [string, ArrayKind, Float32Array | Int32Array | Uint8Array][] {
  const list: [string, ArrayKind, Float32Array | Int32Array | Uint8Array][] = [
    ["audio", "f32", split.audio],
    ["visual", "f32", split.visual],
    ["labels", "i32", split.labels],
    ["audio-mode", "u8", split.conditions.audioMode],
    ["visual-mode", "u8", split.conditions.visualMode],
  ];
  if (split.boxes) list.push(["boxes", "f32", split.boxes]);
  if (split.conditions.style) list.push(["style", "u8", split.conditions.style]);
  return list;
}

function bytesOf(array: Float32Array | Int32Array | Uint8Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Writes `data` into folder `dir` under `key`. */
export async function writeGenerated(
  dir: string,
  key: string,
  data: GeneratedDataset,
  onProgress?: (progress: BuiltinProgress) => void,
): Promise<void> {
  const files: Record<string, FileEntry> = {};
  const jobs = SPLITS.flatMap((split) =>
    arraysOf(data.splits[split]).map(([name, kind, array]) => ({ file: `${split}.${name}.${kind}`, array }))
  );
  let done = 0;
  for (const { file, array } of jobs) {
    const bytes = bytesOf(array);
    await writeFileAtomic(`${dir}/${file}`, bytes);
    files[file] = { bytes: bytes.byteLength, sha256: await sha256Hex(bytes) };
    onProgress?.({ stage: "write cache", done: ++done, total: jobs.length });
  }
  const manifest: Omit<Manifest, "contentSha256"> & { styles?: string[] } = {
    key,
    classes: data.classes,
    sampleRate: data.sampleRate,
    audioLength: data.audioLength,
    imageShape: [...data.imageShape],
    counts: {
      train: data.splits.train.labels.length,
      val: data.splits.val.labels.length,
      test: data.splits.test.labels.length,
    },
    files,
  };
  if (data.styles) manifest.styles = data.styles;
  const body = JSON.parse(JSON.stringify(manifest));
  const full: Manifest = { ...body, contentSha256: await manifestHash(body) };
  await writeFileAtomic(`${dir}/manifest.json`, JSON.stringify(full, null, 1));
}

async function readChecked(path: string, entry: FileEntry | undefined): Promise<Uint8Array | undefined> {
  if (!entry) return undefined;
  const info = await Deno.stat(path);
  if (info.size !== entry.bytes) return undefined;
  const bytes = await Deno.readFile(path);
  if (bytes.byteLength !== entry.bytes || (await sha256Hex(bytes)) !== entry.sha256) return undefined;
  return bytes;
}

function typed<T>(
  bytes: Uint8Array,
  make: (buffer: ArrayBuffer, offset: number, length: number) => T,
  size: number,
): T {
  const aligned = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  return make(aligned.buffer as ArrayBuffer, aligned.byteOffset, aligned.byteLength / size);
}

/** The parsed manifest of `dir`, undefined when there is none, or a string saying why it is unusable. */
async function readManifest(dir: string, key: string): Promise<Manifest | string | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${dir}/manifest.json`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text);
  } catch {
    return "manifest.json is not valid JSON";
  }
  if (typeof manifest !== "object" || manifest === null) return "manifest.json is not an object";
  if (manifest.key !== key) return "manifest.json holds another entry's key";
  if (typeof manifest.contentSha256 !== "string") return "manifest.json has no content hash";
  if ((await manifestHash(manifest)) !== manifest.contentSha256) {
    return "manifest.json does not match its hash";
  }
  return manifest;
}

/** Whether folder `dir` holds an entry for `key` with a sound manifest (its array files are not read). */
export async function hasGenerated(dir: string, key: string): Promise<boolean> {
  const manifest = await readManifest(dir, key);
  return manifest !== undefined && typeof manifest !== "string";
}

/**
 * Reads the entry in `dir`: the data if its manifest carries `key`, matches its own hash and every file
 * has the recorded size and hash; `{ problem }` if the entry is damaged (truncated, altered, swapped);
 * undefined if there is no entry.
 */
export async function readGenerated(
  dir: string,
  key: string,
  onProgress?: (progress: BuiltinProgress) => void,
): Promise<ReadGenerated | undefined> {
  const manifest = await readManifest(dir, key);
  if (manifest === undefined) return undefined;
  if (typeof manifest === "string") return { problem: manifest };
  try {
    const splits = {} as Record<SplitName, GeneratedSplit>;
    const total = Object.keys(manifest.files).length;
    let done = 0;
    for (const split of SPLITS) {
      const read = async (name: string, kind: ArrayKind) => {
        const file = `${split}.${name}.${kind}`;
        const entry = manifest.files[file];
        if (!entry) return undefined;
        const bytes = await readChecked(`${dir}/${file}`, entry);
        if (!bytes) throw new RangeError(`${file} does not match its recorded size and hash`);
        onProgress?.({ stage: "read cache", done: ++done, total });
        return bytes;
      };
      const required = async (name: string, kind: ArrayKind) => {
        const bytes = await read(name, kind);
        if (!bytes) throw new RangeError(`${split}.${name}.${kind} is not in the manifest`);
        return bytes;
      };
      const f32 = (b: Uint8Array) =>
        typed(b, (buffer, offset, length) => new Float32Array(buffer, offset, length), 4);
      const boxes = await read("boxes", "f32");
      const style = await read("style", "u8");
      const out: GeneratedSplit = {
        audio: f32(await required("audio", "f32")),
        visual: f32(await required("visual", "f32")),
        labels: typed(
          await required("labels", "i32"),
          (buffer, offset, length) => new Int32Array(buffer, offset, length),
          4,
        ),
        conditions: {
          audioMode: await required("audio-mode", "u8"),
          visualMode: await required("visual-mode", "u8"),
        },
      };
      if (boxes) out.boxes = f32(boxes);
      if (style) out.conditions.style = style;
      if (out.labels.length !== manifest.counts[split]) {
        return { problem: `${split} has another sample count` };
      }
      splits[split] = out;
    }
    const [height, width, channels] = manifest.imageShape;
    const result: GeneratedDataset = {
      classes: manifest.classes,
      sampleRate: manifest.sampleRate,
      audioLength: manifest.audioLength,
      imageShape: [height, width, channels],
      splits,
    };
    if (manifest.styles) result.styles = manifest.styles;
    return { data: result };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}
