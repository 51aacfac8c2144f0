import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { decodeWav } from "../../../lib/data/mod.ts";
import { examplesHtml } from "../../../lib/report/examples/examples_html.ts";
import { HOSTILE } from "../_fixtures.ts";
import { exampleSet, RATE } from "./_fixtures.ts";

Deno.test("examplesHtml() embeds playable WAVs, spectrograms and frames as data URIs", () => {
  const html = examplesHtml([exampleSet()]);
  const audio = [
    ...html.matchAll(/<audio controls preload="metadata" src="data:audio\/wav;base64,([^"]+)">/g),
  ];
  // Per sample: clean, then adversarial and perturbation for the audio and the joint attack.
  assert.equal(audio.length, 2 * 5);
  for (const [, base64] of audio) {
    const bytes = new Uint8Array(Buffer.from(base64 ?? "", "base64"));
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "RIFF");
    assert.equal(decodeWav(bytes, "x.wav").sampleRate, RATE);
  }
  assert.equal(html.match(/<img src="data:image\/svg\+xml;base64,/g)?.length, 2 * 5);
  assert.equal(html.match(/<img src="data:image\/png;base64,/g)?.length, 2 * 5);
  assert.match(html, /<section id="adversarial-examples-toy">/);
});

Deno.test("examplesHtml() tables the predictions clean against attacked, with class names", () => {
  const html = examplesHtml([exampleSet()]);
  assert.match(html, /<td>clean<\/td><td>zero ✓<\/td><td>80\.0%<\/td><td>80\.0%<\/td>/);
  assert.match(
    html,
    /<td>AV-attack [^<]*<\/td><td>two <span class="avx-fooled">✗ fooled<\/span><\/td><td>70\.0%<\/td><td>20\.0%<\/td>/,
  );
});

Deno.test("examplesHtml() links the files instead when asked", () => {
  const html = examplesHtml([exampleSet()], { sources: "files" });
  assert.doesNotMatch(html, /src="data:/);
  assert.match(html, /<audio controls preload="metadata" src="toy\/01-test-0\/clean\.wav">/);
  assert.match(html, /<img src="toy\/02-test-1\/joint-perturbation-frame\.png" width="\d+" height="\d+"/);
});

Deno.test("examplesHtml() escapes hostile class, dataset and sample names", () => {
  const set = exampleSet([HOSTILE[0], HOSTILE[1], HOSTILE[5]], HOSTILE[1]);
  set.samples[0] = { ...set.samples[0]!, id: HOSTILE[0] };
  const html = examplesHtml([set]);
  assert.doesNotMatch(html, /<script|<img src=x/i);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /<section id="adversarial-examples-img-src-x-onerror-alert-2">/);
});

Deno.test("examplesHtml() is empty without samples", () => {
  assert.equal(examplesHtml([]), "");
  assert.equal(examplesHtml([{ ...exampleSet(), samples: [] }]), "");
});
