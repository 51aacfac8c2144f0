import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { decodeImage } from "../../../lib/data/mod.ts";
import { logMelSpectrogram } from "../../../lib/report/examples/log_mel_spectrogram.ts";
import { spectrogramSvg } from "../../../lib/report/examples/spectrogram_svg.ts";

const tone = Float32Array.from({ length: 8000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 8000));

Deno.test("spectrogramSvg() labels its axes: time in s, Hz on the mel scale, a dB colour bar", () => {
  const svg = spectrogramSvg(logMelSpectrogram(tone, 8000), { range: [-80, 0] });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  for (
    const label of [
      "time (s)",
      "Hz (mel scale)",
      "dB",
      ">0<",
      ">0.2<",
      ">1<",
      ">1k<",
      ">4k<",
      ">-80<",
      ">-40<",
    ]
  ) {
    assert.ok(svg.includes(label), `missing ${label}`);
  }
  // Tick labels never overlap: frequency ticks at least 11 px apart.
  const ys = [...svg.matchAll(/<text x="41\.0" y="([\d.]+)" text-anchor="end">/g)].map((m) => Number(m[1]));
  ys.slice(1).forEach((y, i) => assert.ok(y - (ys[i] as number) >= 11, `ticks at ${ys.join(", ")}`));
});

Deno.test("spectrogramSvg() embeds one PNG pixel per frame and band", () => {
  const s = logMelSpectrogram(tone, 8000);
  const svg = spectrogramSvg(s);
  const uri = svg.match(/href="data:image\/png;base64,([^"]+)"/)?.[1] ?? "";
  const png = decodeImage(new Uint8Array(Buffer.from(uri, "base64")), "spectrogram.png");
  assert.deepEqual([png.width, png.height], [s.frames, s.bands]);
  // The tone's band is the brightest row (yellow: high red and green); bands are drawn highest first.
  const row = (band: number) => (s.bands - 1 - band) * s.frames * 3 + Math.floor(s.frames / 2) * 3;
  const means = Array.from(
    { length: s.bands },
    (_, b) => s.values[Math.floor(s.frames / 2) * s.bands + b] as number,
  );
  const loudest = means.indexOf(Math.max(...means));
  assert.ok((png.data[row(loudest)] as number) > 0.9, "the loudest band is at the top of the colour scale");
});

Deno.test("spectrogramSvg() escapes its title", () => {
  const svg = spectrogramSvg(logMelSpectrogram(new Float32Array(800), 8000), { title: "<b>&x</b>" });
  assert.ok(svg.includes("&lt;b&gt;&amp;x&lt;/b&gt;"));
  assert.ok(!svg.includes("<b>"));
});
