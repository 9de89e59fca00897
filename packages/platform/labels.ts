// The one rule for turning names that callers choose (operation names) into metric labels and log fields, shared by
// the gateway and the subgraphs: a bounded set of values, never whatever a client sends.

/** Distinct operation names labelled per service (and subgraph) and process; later new names count as `other`. */
export const maxOperationLabels = 100;

/** GraphQL names, at most 64 characters: what an operation name may be to become a label (or a log field). */
export const operationNameShape = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/**
 * Turns names chosen by callers into a bounded set of label values: `anonymous` for none, the value itself for
 * the first `max` distinct well-formed ones, `other` for the rest. First come, first labelled: the gateway sends
 * the same few operations (its fetches are named after the client's operations) from the first minutes on, and a
 * flood of invented names afterwards only grows `other`.
 */
export class BoundedLabels {
  private readonly seen = new Set<string>();
  constructor(
    private readonly max: number,
    private readonly shape: RegExp,
    private readonly none = 'anonymous',
    private readonly rest = 'other',
  ) {}

  labelOf(value: string | null | undefined): string {
    if (value === null || value === undefined || value === '') return this.none;
    if (this.seen.has(value)) return value;
    if (!this.shape.test(value) || this.seen.size >= this.max) return this.rest;
    this.seen.add(value);
    return value;
  }
}
