/** `npm run export -- [--out file] [--status ...] [--outlet ...] [--since ...] [--until ...]` (docs/bulk.md). */
import { exportCli } from "../src/bulk/cli";

exportCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
