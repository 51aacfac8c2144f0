import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { dataUri } from "../../../lib/report/examples/data_uri.ts";

Deno.test("dataUri() encodes every byte value in base64 under its media type", () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  const uri = dataUri(bytes, "image/png");
  assert.ok(uri.startsWith("data:image/png;base64,"));
  assert.deepEqual(new Uint8Array(Buffer.from(uri.split(",")[1] ?? "", "base64")), bytes);
});
