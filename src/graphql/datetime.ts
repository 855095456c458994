import { GraphQLScalarType, type ValueNode } from "graphql";
import { DateTimeResolver } from "graphql-scalars";
import { badInput } from "../shared/errors";
import { isDateInRange, MAX_YEAR, MIN_YEAR } from "../shared/pagination";

function inRange(date: Date): Date {
  if (!isDateInRange(date)) throw badInput("DateTime", `must be a date-time in the years ${MIN_YEAR} to ${MAX_YEAR}`);
  return date;
}

/**
 * graphql-scalars' DateTime, refusing dates PostgreSQL (or a JS Date) cannot hold: years 1..9999
 * only (`0000-01-01T00:00:00Z` is a valid RFC 3339 string but no PostgreSQL timestamp).
 */
/** What `Date.toISOString()` gives, and what the read planner's SQL formats timestamps as. */
const ISO_UTC_MILLISECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const DateTime = new GraphQLScalarType<Date | null, Date | string>({
  ...DateTimeResolver.toConfig(),
  // Planned rows carry timestamps already formatted: passed through rather than parsed into a Date and printed again.
  serialize: (value: unknown) => (typeof value === "string" && ISO_UTC_MILLISECONDS.test(value) ? value : DateTimeResolver.serialize(value)),
  parseValue: (value: unknown) => inRange(DateTimeResolver.parseValue(value)),
  parseLiteral: (node: ValueNode, variables?: Record<string, unknown> | null) =>
    inRange(DateTimeResolver.parseLiteral(node, variables)),
});
