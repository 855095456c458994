import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";
import { formatPartialDate, parsePartialDate, type PartialDateValue } from "../shared/partial-date";

const MUST = 'must be a date of the form "2013", "2013-01", "2013-01-31", or a date-time with a time zone ("2013-01-31T14:00:00Z")';

function parse(value: unknown): PartialDateValue {
  const parsed = typeof value === "string" ? parsePartialDate(value) : null;
  if (!parsed) throw new GraphQLError(MUST);
  return parsed;
}

/**
 * A date as precise as it is known: a year, a month, a day or an instant. Inputs parse to
 * `{ at, precision }`; outputs are the same texts (planned rows carry them formatted by SQL).
 */
export const PartialDate = new GraphQLScalarType<PartialDateValue, string>({
  name: "PartialDate",
  description: 'A date as precise as it is known: "2013" (a year), "2013-01" (a month), "2013-01-31" (a day) or an RFC 3339 date-time with a time zone (an instant, given back in UTC).',
  serialize: (value: unknown) => {
    if (typeof value === "string") return value;
    const { at, precision } = value as PartialDateValue;
    const text = formatPartialDate(at, precision);
    if (text === null) throw new GraphQLError("PartialDate cannot represent an empty value");
    return text;
  },
  parseValue: parse,
  parseLiteral: (node: ValueNode) => {
    if (node.kind !== Kind.STRING) throw new GraphQLError(MUST);
    return parse(node.value);
  },
});
