// The example operations as typed documents (EventWithAgendaDocument, its EventWithAgendaQuery result and
// EventWithAgendaQueryVariables types, ...) and the client that sends them.
export * from './generated/operations.js';
export { execute, GraphQLRequestError, type GraphQLErrorEntry } from './client.js';
