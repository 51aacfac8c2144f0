/** Writes a safetensors file (test fixture): every tensor F32 unless `dtype` overrides it. */
export function safetensorsBytes(
  tensors: Record<string, { shape: number[]; data: Float32Array; dtype?: string }>,
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
  let offset = 0;
  for (const [name, { shape, data, dtype = "F32" }] of Object.entries(tensors)) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + data.length * 4] };
    offset += data.length * 4;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  let at = 8 + json.length;
  for (const { data } of Object.values(tensors)) {
    for (const value of data) {
      view.setFloat32(at, value, true);
      at += 4;
    }
  }
  return bytes;
}
