/**
 * Run by `backend_test.ts` in a child process: tries the webgpu backend and prints one JSON line. The GPU
 * driver (often Mesa's llvmpipe on CI machines) lives only in this process, so its native state never
 * shares a process with the other tests.
 *
 * @module
 */
import { BackendUnavailableError, tf, useBackend } from "../../lib/engine/mod.ts";

try {
  const info = await useBackend("webgpu");
  const value = (await tf.tidy(() => tf.sum(tf.ones([4]))).data())[0];
  console.log(JSON.stringify({ outcome: "ran", backend: info.name, value }));
} catch (error) {
  const clear = error instanceof BackendUnavailableError;
  console.log(JSON.stringify({ outcome: clear ? "unavailable" : "error", message: String(error) }));
}
