// The committed schema.graphql: the public schema, printed (src/schema.ts `printPublicSchema`).
//   npm run schema:print   writes it (`npm run codegen` runs this too)
//   npm run schema:check   fails when it is not what would be printed (part of `npm test`);
//                          `tsx scripts/schema-file.ts check <file>` checks another copy
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { printPublicSchema } from "../src/schema";

export const SCHEMA_FILE = path.join(__dirname, "..", "schema.graphql");

/** A path as a message shows it: relative to the working directory when inside it. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/**
 * Why `file` is not the printed schema, or null when it is: missing, or the first line that differs
 * (with the printed line), so that a stale file says where it went stale.
 */
export function staleSchemaFile(file: string = SCHEMA_FILE, printed: string = printPublicSchema()): string | null {
  let committed: string;
  try {
    committed = readFileSync(file, "utf8");
  } catch {
    return `${shown(file)} is missing`;
  }
  if (committed === printed) return null;
  const lines = (text: string) => (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
  const have = lines(committed);
  const want = lines(printed);
  const at = Array.from({ length: Math.max(have.length, want.length) }, (_, i) => i).find((i) => have[i] !== want[i]);
  if (at === undefined) return `${shown(file)} is stale: it differs from the printed schema in its final newline`;
  const quoted = (line: string | undefined) => (line === undefined ? "(end of file)" : JSON.stringify(line));
  return `${shown(file)} is stale at line ${at + 1}: it has ${quoted(have[at])}, the schema prints ${quoted(want[at])}`;
}

function main(command: string | undefined, file: string = SCHEMA_FILE): number {
  if (command === "print") {
    writeFileSync(SCHEMA_FILE, printPublicSchema());
    console.log(`wrote ${shown(SCHEMA_FILE)}`);
    return 0;
  }
  if (command === "check") {
    const problem = staleSchemaFile(path.resolve(file));
    if (!problem) {
      console.log(`${shown(path.resolve(file))} is current`);
      return 0;
    }
    console.error(`${problem}\nRun \`npm run schema:print\` (or \`npm run codegen\`) and commit schema.graphql.`);
    return 1;
  }
  console.error("usage: tsx scripts/schema-file.ts print | check [file]");
  return 2;
}

if (require.main === module) process.exitCode = main(process.argv[2], process.argv[3]);
