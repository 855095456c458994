/** `npm run import -- <file.ndjson> [--dry-run]` (docs/bulk.md). */
import { importCli } from "../src/bulk/cli";

importCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
