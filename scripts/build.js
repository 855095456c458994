// `npm run build`: compiles the server to dist/ and copies what the compiled code reads from disk
// relative to itself (src/schema.ts reads ../schema/*.graphql, i.e. dist/schema from dist/src).
const { execFileSync } = require("node:child_process");
const { cpSync, rmSync } = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const dist = path.join(root, "dist");
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [root] }), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
cpSync(path.join(root, "schema"), path.join(dist, "schema"), { recursive: true });
