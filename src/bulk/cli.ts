/**
 * Command lines of `npm run export` and `npm run import` (thin wrappers in scripts/bulk-*.ts).
 * Progress goes to stderr (a bar on a TTY, plain lines otherwise); results to stdout.
 */
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import cliProgress from "cli-progress";
import { DEFAULT_DATABASE_URL } from "../db/connection";
import { ConfigError, parseConfig } from "../config";
import type { ClaimReviewSettings } from "../modules/claimreview/claimreview.settings";
import { exportClaimReviews } from "./claimreview-export";
import { exportNdjson } from "./export";
import { RECORD_TYPES } from "./format";
import { importNdjson, type ImportResult } from "./import";

interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

function parse(argv: string[], switches: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (eq !== -1) flags.set(name, arg.slice(eq + 1));
    else if (switches.includes(name)) flags.set(name, true);
    else if (i + 1 < argv.length) flags.set(name, argv[++i]!);
    else throw new UsageError(`--${name} needs a value`);
  }
  return { positional, flags };
}

class UsageError extends Error {}

const databaseUrl = () => process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

const EXPORT_USAGE = `usage: npm run export -- [--out file] [--status PUBLISHED] [--outlet DW] [--since 2024-01-01] [--until 2025-01-01]
                          [--include-identity-notes] [--format ndjson|claimreview]`;

/** The server's ClaimReview settings (publisher, URL template) from the environment, as `npm start` reads them. */
function claimReviewSettings(): ClaimReviewSettings | string {
  try {
    const settings = parseConfig().claimReview;
    if (!settings.publisher) return "ClaimReview is off: set CLAIMREVIEW_PUBLISHER_NAME (and CLAIMREVIEW_PUBLISHER_URL), as for the server";
    return settings;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

export async function exportCli(argv: string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv, ["include-identity-notes", "help"]);
  } catch (error) {
    console.error(`${(error as Error).message}\n${EXPORT_USAGE}`);
    return 2;
  }
  const { flags, positional } = parsed;
  if (flags.has("help")) {
    console.log(EXPORT_USAGE);
    return 0;
  }
  const known = ["out", "status", "outlet", "since", "until", "include-identity-notes", "format"];
  const unknown = [...flags.keys()].filter((k) => !known.includes(k));
  if (unknown.length || positional.length) {
    console.error(`unknown argument ${unknown.length ? `--${unknown[0]}` : positional[0]}\n${EXPORT_USAGE}`);
    return 2;
  }
  const format = (flags.get("format") as string | undefined) ?? "ndjson";
  if (format !== "ndjson" && format !== "claimreview") {
    console.error(`--format must be ndjson or claimreview\n${EXPORT_USAGE}`);
    return 2;
  }
  const status = flags.get("status") as string | undefined;
  if (status && !["DRAFT", "IN_REVIEW", "PUBLISHED", "ARCHIVED"].includes(status)) {
    console.error("--status must be DRAFT, IN_REVIEW, PUBLISHED or ARCHIVED");
    return 2;
  }
  for (const name of ["since", "until"]) {
    const value = flags.get(name);
    if (value !== undefined && (value === true || Number.isNaN(Date.parse(value)))) {
      console.error(`--${name} must be a date (2024-01-01 or an ISO timestamp)`);
      return 2;
    }
  }
  let settings: ClaimReviewSettings | undefined;
  if (format === "claimreview") {
    if (flags.has("include-identity-notes")) {
      console.error("--include-identity-notes does not apply to --format claimreview (ClaimReview never carries identity notes)");
      return 2;
    }
    const found = claimReviewSettings();
    if (typeof found === "string") {
      console.error(found);
      return 2;
    }
    settings = found;
  }
  const outPath = flags.get("out") as string | undefined;
  const out: Writable = outPath ? createWriteStream(outPath) : process.stdout;
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  const filters = {
    status,
    outlet: flags.get("outlet") as string | undefined,
    since: flags.get("since") as string | undefined,
    until: flags.get("until") as string | undefined,
  };
  if (settings) {
    const result = await exportClaimReviews({
      databaseUrl: databaseUrl(),
      out,
      ...filters,
      settings,
      onProgress: (articles, reviews) => {
        if (tty) process.stderr.write(`\r${articles.toLocaleString("en")} articles, ${reviews.toLocaleString("en")} reviews   `);
      },
    });
    if (tty) process.stderr.write("\n");
    if (outPath) {
      out.end();
      await finished(out);
    }
    console.error(`export: ${result.reviews} ClaimReview objects of ${result.articles} published articles${outPath ? ` -> ${outPath}` : ""}`);
    return 0;
  }
  const result = await exportNdjson({
    databaseUrl: databaseUrl(),
    out,
    ...filters,
    includeIdentityNotes: flags.get("include-identity-notes") === true,
    onProgress: (written, entity) => {
      if (tty) process.stderr.write(`\r${written.toLocaleString("en")} records (${entity})   `);
      else if (written - lastLine >= 50_000) {
        lastLine = written;
        console.error(`export: ${written} records (${entity})`);
      }
    },
  });
  if (tty) process.stderr.write("\n");
  if (outPath) {
    out.end();
    await finished(out);
  }
  const total = Object.values(result.records).reduce((a, b) => a + b, 0);
  console.error(`export: ${total} records: ${Object.entries(result.records).map(([k, v]) => `${k} ${v}`).join(", ")}${outPath ? ` -> ${outPath}` : ""}`);
  return 0;
}

const IMPORT_USAGE = "usage: npm run import -- <file.ndjson> [--dry-run]";

export function formatReport(result: ImportResult): string {
  const lines: string[] = [];
  for (const e of result.errors) lines.push(`line ${e.line}${e.pointer ? ` ${e.pointer}` : ""}: ${e.message}`);
  if (result.errorCount > result.errors.length) lines.push(`... and ${result.errorCount - result.errors.length} more`);
  for (const w of result.warnings) lines.push(`warning: line ${w.line}${w.pointer ? ` ${w.pointer}` : ""}: ${w.message}`);
  return lines.join("\n");
}

export function formatSummary(result: ImportResult): string {
  const rows = RECORD_TYPES.map((t) => {
    const s = result.summary[t];
    return `${t.padEnd(14)} ${String(s.created).padStart(9)} ${String(s.updated).padStart(9)} ${String(s.unchanged).padStart(9)} ${String(s.rejected).padStart(9)}`;
  });
  const verdict = result.ok
    ? result.dryRun
      ? "dry run: nothing written (this is what the import would do)"
      : `imported ${result.records} records in ${result.seconds.toFixed(1)} s`
    : result.dryRun
      ? `dry run: ${result.errorCount} problem(s); the import would write nothing`
      : `import failed: ${result.errorCount} problem(s); nothing was written`;
  return [`${"entity".padEnd(14)} ${"created".padStart(9)} ${"updated".padStart(9)} ${"unchanged".padStart(9)} ${"rejected".padStart(9)}`, ...rows, verdict].join("\n");
}

export async function importCli(argv: string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv, ["dry-run", "help"]);
  } catch (error) {
    console.error(`${(error as Error).message}\n${IMPORT_USAGE}`);
    return 2;
  }
  const { flags, positional } = parsed;
  if (flags.has("help")) {
    console.log(IMPORT_USAGE);
    return 0;
  }
  const unknown = [...flags.keys()].filter((k) => k !== "dry-run");
  if (positional.length !== 1 || unknown.length) {
    console.error(IMPORT_USAGE);
    return 2;
  }
  const result = await runImport(positional[0]!, flags.get("dry-run") === true, databaseUrl());
  const report = formatReport(result);
  if (report) console.log(report);
  console.log(formatSummary(result));
  return result.ok ? 0 : 1;
}

/** The import with its progress display (shared by `npm run import` and `npm run db:seed -- --file`). */
export async function runImport(file: string, dryRun: boolean, url: string): Promise<ImportResult> {
  const tty = process.stderr.isTTY === true;
  const bar = tty
    ? new cliProgress.SingleBar({ stream: process.stderr, format: "import [{bar}] {percentage}% | {records} records | {eta}s left", hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  let started = false;
  let lastPercent = -10;
  try {
    return await importNdjson({
      databaseUrl: url,
      file,
      dryRun,
      onRead: (bytes, total, records) => {
        if (bar) {
          if (!started) bar.start(Math.max(total, 1), 0, { records: 0 });
          started = true;
          bar.update(bytes, { records });
        } else {
          const percent = total ? Math.floor((bytes / total) * 100) : 100;
          if (percent - lastPercent >= 10) {
            lastPercent = percent;
            console.error(`import: read ${percent}% (${records} records)`);
          }
        }
      },
      onPhase: (phase) => {
        if (bar && started && phase !== "reading") {
          bar.stop();
          started = false;
        }
        if (phase !== "reading") console.error(`import: ${phase}`);
      },
    });
  } finally {
    bar?.stop();
  }
}
