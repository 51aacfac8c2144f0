/**
 * `deno task report`: the supplement pipeline. Not built yet: it says so and exits non-zero rather than
 * fake any output.
 */
console.error(
  "deno task report: the report pipeline is not built yet (issue 6). Built so far: the tensor engine " +
    "(deno task bench). Nothing was written.",
);
Deno.exit(1);
