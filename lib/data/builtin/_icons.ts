/**
 * Instrument and clutter pictures in five art styles, from the npm `@iconify-json/*` sets, rasterised
 * once per build with `@resvg/resvg-wasm` into trimmed premultiplied-RGBA sprites.
 *
 * @module
 */
import { packageFile } from "./_assets.ts";
import { makeSprite, type Sprite } from "./_raster.ts";
import { DataFormatError } from "../errors.ts";

/** The art styles (iconify sets); every class is drawn in all of them. */
export const ICON_STYLES = ["noto", "twemoji", "openmoji", "fluent-emoji-flat", "game-icons"] as const;

/** Non-instrument objects scattered as clutter; `[emoji name, game-icons name]`. */
export const CLUTTER_ICONS: readonly (readonly [string, string])[] = [
  ["red-apple", "shiny-apple"],
  ["banana", "banana"],
  ["house", "house"],
  ["umbrella", "umbrella"],
  ["alarm-clock", "alarm-clock"],
  ["light-bulb", "light-bulb"],
  ["cactus", "cactus"],
  ["soccer-ball", "soccer-ball"],
  ["scissors", "scissors"],
  ["key", "key"],
  ["sunflower", "sunflower"],
  ["cat", "cat"],
  ["tomato", "tomato"],
  ["carrot", "carrot"],
  ["grapes", "grapes"],
  ["pineapple", "pineapple"],
  ["watermelon", "watermelon"],
  ["lemon", "lemon"],
  ["pear", "pear"],
  ["mushroom", "mushroom"],
  ["anchor", "anchor"],
  ["crown", "crown"],
  ["pencil", "pencil"],
  ["wrench", "wrench"],
  ["teapot", "teapot"],
  ["basketball", "basketball-ball"],
  ["rocket", "rocket"],
  ["duck", "duck"],
  ["butterfly", "butterfly"],
  ["snail", "snail"],
  ["turtle", "turtle"],
  ["open-book", "open-book"],
  ["fountain-pen", "fountain-pen"],
  ["kite", "kite"],
  ["top-hat", "top-hat"],
  ["maple-leaf", "maple-leaf"],
  ["rose", "rose"],
  ["palm-tree", "palm-tree"],
  ["magnet", "magnet"],
  ["trophy", "trophy"],
  ["crab", "crab"],
  ["owl", "owl"],
  ["frog", "frog"],
  ["chess-pawn", "chess-pawn"],
  ["sun", "sun"],
  ["fire", "fire"],
  ["sailboat", "sailboat"],
  ["bus", "bus"],
];

/** Sprites by style: `instruments[style][class]` and `clutter[style][k]`. */
export interface IconSprites {
  /** One sprite per (style, class). */
  instruments: Sprite[][];
  /** Clutter sprites per style. */
  clutter: Sprite[][];
}

interface IconifyIcon {
  body: string;
  left?: number;
  top?: number;
  width?: number;
  height?: number;
}
interface IconifySet {
  icons: Record<string, IconifyIcon>;
  aliases?: Record<string, { parent: string }>;
  width?: number;
  height?: number;
}

let wasmReady: Promise<void> | undefined;

/** Rasterises the icons named `names[style][k]` (longest side `pixels`), trimmed to their alpha box. */
export async function loadIconSprites(
  instrumentIcons: readonly string[],
  pixels: number,
): Promise<IconSprites> {
  const { initWasm, Resvg } = await import("@resvg/resvg-wasm");
  wasmReady ??= initWasm(Deno.readFile(packageFile("@resvg/resvg-wasm", "index_bg.wasm")));
  await wasmReady;
  const render = (set: IconifySet, name: string, path: string): Sprite => {
    const icon = set.icons[name] ?? set.icons[set.aliases?.[name]?.parent ?? ""];
    if (!icon) throw new DataFormatError(path, `Cannot draw the built-in dataset: icon '${name}' is missing`);
    const width = icon.width ?? set.width ?? 16, height = icon.height ?? set.height ?? 16;
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${icon.left ?? 0} ${
        icon.top ?? 0
      } ${width} ${height}" ` +
      `width="${width}" height="${height}">${icon.body}</svg>`;
    const fit = width >= height
      ? { mode: "width" as const, value: pixels }
      : { mode: "height" as const, value: pixels };
    const resvg = new Resvg(svg, { fitTo: fit });
    const image = resvg.render();
    const { width: w, height: h } = image;
    const px = image.pixels;
    image.free();
    resvg.free();
    let x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if ((px[(y * w + x) * 4 + 3] as number) > 8) {
          x0 = Math.min(x0, x), y0 = Math.min(y0, y), x1 = Math.max(x1, x), y1 = Math.max(y1, y);
        }
      }
    }
    if (x1 < 0) throw new DataFormatError(path, `Cannot draw the built-in dataset: icon '${name}' is empty`);
    const tw = x1 - x0 + 1, th = y1 - y0 + 1;
    const rgba = new Float32Array(tw * th * 4);
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        for (let c = 0; c < 4; c++) {
          rgba[(y * tw + x) * 4 + c] = (px[((y + y0) * w + x + x0) * 4 + c] as number) / 255;
        }
      }
    }
    return makeSprite(tw, th, rgba);
  };
  const instruments: Sprite[][] = [], clutter: Sprite[][] = [];
  for (const style of ICON_STYLES) {
    const path = packageFile(`@iconify-json/${style}`, "icons.json");
    const set = JSON.parse(await Deno.readTextFile(path)) as IconifySet;
    instruments.push(instrumentIcons.map((name) => render(set, name, path)));
    clutter.push(
      CLUTTER_ICONS.map(([emoji, game]) => render(set, style === "game-icons" ? game : emoji, path)),
    );
  }
  return { instruments, clutter };
}
