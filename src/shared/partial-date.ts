/**
 * Partial dates: "2013", "2013-01", "2011-10-28" or a full instant. Stored as two columns, the
 * start of the period (timestamptz, UTC) and its precision (enum DatePrecision), so that rows sort
 * and filter by date while nothing more is claimed than the source gave.
 */
export type DatePrecision = "YEAR" | "MONTH" | "DAY" | "INSTANT";

export interface PartialDateValue {
  /** The start of the period, in UTC. */
  at: Date;
  precision: DatePrecision;
}

const YEAR = /^(\d{4})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339, with a zone (Z or an offset): an instant must say which one.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

function utc(year: number, month = 1, day = 1): Date | null {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year); // years below 100 are not shifted to 19xx
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

/** The value for a text of one of the four forms, or null when it is none of them (or no real date). */
export function parsePartialDate(text: string): PartialDateValue | null {
  let match: RegExpExecArray | null;
  if ((match = YEAR.exec(text))) {
    const at = utc(Number(match[1]));
    return at && { at, precision: "YEAR" };
  }
  if ((match = MONTH.exec(text))) {
    const at = utc(Number(match[1]), Number(match[2]));
    return at && { at, precision: "MONTH" };
  }
  if ((match = DAY.exec(text))) {
    const at = utc(Number(match[1]), Number(match[2]), Number(match[3]));
    return at && { at, precision: "DAY" };
  }
  if (INSTANT.test(text)) {
    const at = new Date(text);
    if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1 || at.getUTCFullYear() > 9999) return null;
    return { at, precision: "INSTANT" };
  }
  return null;
}

/** The text of a stored partial date (the inverse of parsePartialDate, instants in UTC with milliseconds). */
export function formatPartialDate(at: Date | null | undefined, precision: DatePrecision | null | undefined): string | null {
  if (!at) return null;
  const iso = at.toISOString();
  switch (precision ?? "INSTANT") {
    case "YEAR":
      return iso.slice(0, 4);
    case "MONTH":
      return iso.slice(0, 7);
    case "DAY":
      return iso.slice(0, 10);
    default:
      return iso;
  }
}

/** The same text, built in SQL by the read planner, over the two columns' expressions. */
export function partialDateSql(at: string, precision: string): string {
  return `CASE ${precision} WHEN 'YEAR' THEN to_char(${at} AT TIME ZONE 'UTC', 'YYYY') WHEN 'MONTH' THEN to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM') WHEN 'DAY' THEN to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM-DD') ELSE to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END`;
}

/** The columns a PartialDate input writes: both null when the input is null (cleared). */
export function partialDateColumns(value: PartialDateValue | null): { at: Date | null; precision: DatePrecision | null } {
  return value ? { at: value.at, precision: value.precision } : { at: null, precision: null };
}

/** The field resolver of a PartialDate over a Prisma row's two fields (`publishedAt`, `publishedPrecision`). */
export function partialDateOf<Row>(at: keyof Row, precision: keyof Row) {
  return (row: Row): string | null => formatPartialDate(row[at] as Date | null, row[precision] as DatePrecision | null);
}
