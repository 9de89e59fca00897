import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

// The deployment files are built as plain data and written with the `yaml` package, so quoting is always right
// (a port "4001" stays a string, `no` is not read as false). Two wrappers carry what plain data cannot: a comment
// above an entry (the files explain their choices to whoever reads them) and the one-line flow style used for
// small maps such as `{ name: talent-hub-config, key: NODE_ENV }`.

/** A value written with a comment on the lines above its key (in a map) or above it (in a list). */
export class Noted {
  constructor(
    readonly value: unknown,
    readonly comment: string | undefined,
    readonly blankLineBefore: boolean,
  ) {}
}

/** A map or list written on one line. */
export class Flow {
  constructor(readonly value: object) {}
}

/** A string always written in double quotes, where plain text would be valid but easy to misread (`"1.2.3"`, `"8080:80"`). */
export class Quoted {
  constructor(readonly value: string) {}
}

/** A map or list followed by a comment at its own indentation (a setting left out, shown as an example). */
export class Closing {
  constructor(
    readonly value: object,
    readonly comment: string,
  ) {}
}

export const note = (comment: string, value: unknown) => new Noted(value, comment, false);
/** An entry set apart by a blank line (the services of compose.yaml), with an optional comment. */
export const spaced = (value: unknown, comment?: string) => new Noted(value, comment, true);
export const flow = (value: object) => new Flow(value);
export const quoted = (value: string) => new Quoted(value);
export const closing = (comment: string, value: object) => new Closing(value, comment);

/** Words that YAML 1.1 readers (older tools, some Go libraries) take for booleans: always quoted. */
const yaml11Booleans = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** Comment text as the `yaml` package wants it: each line after its `#`, with one space (a lone space keeps an empty line's `#`). */
const commentText = (comment: string) =>
  comment
    .split('\n')
    .map((line) => ` ${line}`)
    .join('\n');

function toNode(value: unknown): Node {
  if (value instanceof Noted) throw new Error('a comment belongs to a map entry or a list item');
  if (value instanceof Quoted) {
    const scalar = new Scalar(value.value);
    scalar.type = Scalar.QUOTE_DOUBLE;
    return scalar;
  }
  if (value instanceof Closing) {
    const node = toNode(value.value);
    node.comment = commentText(value.comment);
    return node;
  }
  if (value instanceof Flow) {
    const node = toNode(value.value) as YAMLMap | YAMLSeq;
    node.flow = true;
    return node;
  }
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value) {
      const noted = item instanceof Noted ? item : undefined;
      const node = toNode(noted ? noted.value : item);
      if (noted?.comment) node.commentBefore = commentText(noted.comment);
      if (noted?.blankLineBefore) node.spaceBefore = true;
      seq.items.push(node);
    }
    return seq;
  }
  if (value !== null && typeof value === 'object') {
    const map = new YAMLMap();
    for (const [key, item] of Object.entries(value)) {
      const noted = item instanceof Noted ? item : undefined;
      const keyNode = new Scalar(key);
      if (noted?.comment) keyNode.commentBefore = commentText(noted.comment);
      if (noted?.blankLineBefore) keyNode.spaceBefore = true;
      map.items.push(new Pair(keyNode, toNode(noted ? noted.value : item)));
    }
    return map;
  }
  const scalar = new Scalar(value);
  if (typeof value === 'string' && yaml11Booleans.test(value)) scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

/** One YAML document's text: an optional comment block at its top, then the data. */
export function yamlDocument(data: object, comment?: string): string {
  const doc = new Document();
  doc.contents = toNode(data);
  if (comment) doc.commentBefore = commentText(comment);
  // lineWidth 0: never fold long values (healthcheck commands, URLs with interpolations) over several lines.
  return doc.toString({ lineWidth: 0 });
}

/** Several documents in one file, separated by `---`. */
export const yamlDocuments = (documents: readonly string[]) => documents.join('---\n');
