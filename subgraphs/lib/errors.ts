import { GraphQLError } from 'graphql';

/** A client error: the message says what is wrong with which argument, so a caller can fix the request. */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argumentName: argument } : {}) },
  });
}
