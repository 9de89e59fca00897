import { GraphQLError } from 'graphql';

/** A client error: the message says what is wrong with which argument, so a caller can fix the request. */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argumentName: argument } : {}) },
  });
}

/** One problem with one field of a mutation's input; `field` is a dotted path from the argument, e.g. `input.email`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A mutation's input was refused: the message lists every problem, and `extensions.fields` carries them one by one,
 * so that a form can show each next to its field.
 */
export function invalidInput(problems: readonly FieldProblem[]): GraphQLError {
  const message = `Invalid input: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', fields: problems } });
}

/**
 * A write names a record that does not exist (or no longer: an erased talent). NOT_FOUND rather than
 * BAD_USER_INPUT: the request is well-formed, the record is missing. The message names the argument, not its value.
 */
export function notFound(what: string, argument: string): GraphQLError {
  return new GraphQLError(`No ${what} has the id given in "${argument}".`, { extensions: { code: 'NOT_FOUND', argumentName: argument } });
}
