import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { graphqlError } from '@talent-hub/platform/errors';

// Custom scalars every subgraph declares in its SDL and implements here, once.

const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

// Input errors carry BAD_USER_INPUT: the subgraph server reports them with that code even when they surface
// while validating a literal (see subgraph.ts).
const inputError = (message: string) => graphqlError('BAD_USER_INPUT', message);

function literalString(ast: ValueNode, scalar: string): string {
  if (ast.kind !== Kind.STRING) throw inputError(`${scalar} must be written as a string`);
  return ast.value;
}

function checked(pattern: RegExp, scalar: string, example: string) {
  return (value: unknown): string => {
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw inputError(`${scalar} must be a string like "${example}"; got ${JSON.stringify(value)?.slice(0, 40)}`);
    }
    return value;
  };
}

const parseDecimal = checked(DECIMAL, 'Decimal', '2232176.90');
const parseDateShape = checked(DATE, 'Date', '2024-10-09');
// The shape alone lets 2023-02-29 through, which the database would refuse with an internal error.
const parseDate = (value: unknown): string => {
  const day = parseDateShape(value);
  if (new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
    throw inputError(`Date must be a day that exists in the calendar; got "${day}"`);
  }
  return day;
};
const parseDateTime = checked(DATE_TIME, 'DateTime', '2024-10-09T14:30:00+02:00');

/** Exact decimal numbers (money, rates) as strings, so no client ever sees a float rounding error. */
export const Decimal = new GraphQLScalarType({
  name: 'Decimal',
  serialize: (value) => parseDecimal(typeof value === 'number' ? String(value) : value),
  parseValue: parseDecimal,
  parseLiteral: (ast) => parseDecimal(literalString(ast, 'Decimal')),
});

/** Calendar dates, ISO 8601 `YYYY-MM-DD`. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  serialize: parseDate,
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(literalString(ast, 'Date')),
});

/** Instants, ISO 8601 with an offset. Resolvers format them in the relevant time zone before they get here. */
export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value.toISOString() : parseDateTime(value)),
  parseValue: (value) => new Date(parseDateTime(value)),
  parseLiteral: (ast) => new Date(parseDateTime(literalString(ast, 'DateTime'))),
});

export const scalarResolvers = { Decimal, Date: DateScalar, DateTime };
