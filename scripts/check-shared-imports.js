// Part of `npm run check:cycles`: src/shared is the bottom layer. No file under it may import a
// module (src/modules/**) or the composition root (src/context.ts, src/schema.ts, src/server.ts,
// src/main.ts), type imports included. Usage: node scripts/check-shared-imports.js [src directory]
const { readdirSync, readFileSync } = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

const src = path.resolve(process.argv[2] ?? path.join(__dirname, "..", "src"));
const ROOTS = new Set(["context", "schema", "server", "main"]);

function forbidden(target) {
  const relative = path.relative(src, target).split(path.sep).join("/").replace(/\.(ts|js)$/, "").replace(/\/index$/, "");
  return relative === "modules" || relative.startsWith("modules/") || ROOTS.has(relative);
}

const violations = [];
for (const entry of readdirSync(path.join(src, "shared"), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
  const file = path.join(entry.parentPath, entry.name);
  // preProcessFile lists every import, export-from, import type, import() and require().
  for (const { fileName } of ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles) {
    if (fileName.startsWith(".") && forbidden(path.resolve(path.dirname(file), fileName))) {
      violations.push(`${path.relative(process.cwd(), file)} imports ${fileName}`);
    }
  }
}

if (violations.length > 0) {
  console.error(`src/shared must not import modules or the composition root:\n  ${violations.join("\n  ")}`);
  process.exit(1);
}
console.log("src/shared imports no module and no composition root");
