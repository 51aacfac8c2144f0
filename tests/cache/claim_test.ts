import assert from "node:assert/strict";
import { hostname } from "node:os";
import { tryClaim, waitForClaim } from "../../lib/cache/claim.ts";

Deno.test("tryClaim() gives a name to one owner at a time, and again once released", async () => {
  const dir = await Deno.makeTempDir();
  const first = await tryClaim(dir, "cell");
  assert.ok(first);
  const owner = JSON.parse(await Deno.readTextFile(first.path));
  assert.deepEqual([owner.host, owner.pid], [hostname(), Deno.pid]);
  assert.equal(await tryClaim(dir, "cell"), null);
  await first.release();
  await first.release(); // idempotent
  const second = await tryClaim(dir, "cell");
  assert.ok(second);
  await second.release();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("tryClaim() takes over the claim of a dead process on this host, and an unrefreshed one", async () => {
  const dir = await Deno.makeTempDir();
  // A pid that cannot be alive (above Linux's pid_max).
  await Deno.writeTextFile(
    `${dir}/dead.claim`,
    JSON.stringify({ host: hostname(), pid: 99_999_999, started: "" }),
  );
  const taken = await tryClaim(dir, "dead");
  assert.ok(taken, "a dead owner's claim is stale");
  await taken.release();
  // Another host's claim: stale only when not refreshed for staleAfterMs.
  await Deno.writeTextFile(`${dir}/far.claim`, JSON.stringify({ host: "elsewhere", pid: 1, started: "" }));
  assert.equal(await tryClaim(dir, "far", { staleAfterMs: 60_000 }), null);
  const old = new Date(Date.now() - 120_000);
  await Deno.utime(`${dir}/far.claim`, old, old);
  const late = await tryClaim(dir, "far", { staleAfterMs: 60_000 });
  assert.ok(late);
  await late.release();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("tryClaim() refuses a name with a slash; waitForClaim() returns once the work is ready", async () => {
  const dir = await Deno.makeTempDir();
  await assert.rejects(() => tryClaim(dir, "a/b"), /a claim name has no slashes/);
  const held = await tryClaim(dir, "busy");
  let ready = false;
  setTimeout(() => ready = true, 30);
  await waitForClaim(dir, "busy", () => Promise.resolve(ready), { pollMs: 5 });
  assert.ok(ready, "returned only when ready, the claim still held");
  await held?.release();
  await Deno.remove(dir, { recursive: true });
});
