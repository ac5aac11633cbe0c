// The API client's types, generated from the committed ../openapi.json by openapi-typescript.
//   node scripts/api-types.mjs          write src/lib/api/schema.d.ts
//   node scripts/api-types.mjs --check  fail when the committed file is out of date (CI)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TARGET = "src/lib/api/schema.d.ts";
// Fields with a default stay optional in request bodies (the server fills them in).
const FLAGS = ["--default-non-nullable", "false"];

function generate(output) {
  execFileSync(
    process.execPath,
    ["node_modules/openapi-typescript/bin/cli.js", "../openapi.json", "-o", output, ...FLAGS],
    { stdio: "ignore" },
  );
}

if (!process.argv.includes("--check")) {
  generate(TARGET);
} else {
  const dir = mkdtempSync(join(tmpdir(), "medianest-api-"));
  try {
    generate(join(dir, "schema.d.ts"));
    if (readFileSync(join(dir, "schema.d.ts"), "utf8") !== readFileSync(TARGET, "utf8")) {
      console.error(
        `${TARGET} is out of date with openapi.json: run \`npm run api:generate\` in ` +
          "frontend/ (or `make artifacts`) and commit it.",
      );
      process.exit(1);
    }
    console.log("API client types match openapi.json");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
