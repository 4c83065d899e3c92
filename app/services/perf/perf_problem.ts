/**
 * Something the operator can fix (the database is down, the report cannot
 * be written): the command prints its message as one line, without a stack.
 */
export class PerfProblem extends Error {}
