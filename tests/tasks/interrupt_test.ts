/** A study task stopped by Ctrl-C says what was kept and which command resumes; that command does. */
import assert from "node:assert/strict";
import { resumeHint } from "../../tasks/_interrupt.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("resumeHint() names the same command, quoted for a shell", () => {
  const line = resumeHint("deno task report", ["--profile", "default", "--out", "it's here"], "/c");
  assert.match(line, /^Interrupted\. .* kept in \/c; run the same command again to resume: /);
  assert.ok(line.endsWith("deno task report --profile default --out 'it'\\''s here'"), line);
});

Deno.test({
  name: "deno task train: Ctrl-C prints the resume line and exits 130; the same command resumes",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const cache = await Deno.makeTempDir({ prefix: "avrobust-interrupt-" });
    const args = ["--profile", "smoke", "--models", "audio", "--jobs", "1", "--cache-dir", cache];
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}tasks/train.ts`, ...args],
      env: { NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let stderr = "";
    const decoder = new TextDecoder();
    const reader = child.stderr.getReader();
    // Interrupt once the data stage is stored and training has begun.
    while (!/\[2\/2 train\]/.test(stderr)) {
      const { value, done } = await reader.read();
      if (done) break;
      stderr += decoder.decode(value, { stream: true });
    }
    child.kill("SIGINT");
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      stderr += decoder.decode(value, { stream: true });
    }
    const status = await child.status;
    assert.equal(status.code, 130, stderr);
    const last = stderr.trim().split("\n").at(-1) ?? "";
    assert.match(
      last,
      /^Interrupted\. .*run the same command again to resume: deno task train --profile smoke/,
    );
    assert.ok(last.endsWith(`--cache-dir ${cache}`), last);

    const again = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}tasks/train.ts`, ...args],
      env: { NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).output();
    const text = decoder.decode(again.stderr);
    assert.equal(again.code, 0, text);
    assert.match(
      text,
      /\[1\/2 data\] from cache/,
      "the rerun resumes after what the interrupted one finished",
    );
    await Deno.remove(cache, { recursive: true });
  },
});
