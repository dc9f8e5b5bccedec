/** The element tree parseStrictXml returns, and the character-data and namespace rules it applies. */

interface XmlAttribute {
  readonly uri: string;
  readonly local: string;
  readonly value: string;
}

export interface XmlElement {
  /** Namespace URI ('' when none). */
  readonly uri: string;
  readonly local: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** The element's own character data (text and CDATA), concatenated. */
  readonly text: string;
  /** Prefix → URI in scope here ('' is the default namespace), for QName values like `xsi:type`. */
  readonly namespaces: Readonly<Record<string, string>>;
}

export interface XmlLimits {
  /** Characters of input (the route limits bytes before decoding). */
  maxLength: number;
  maxDepth: number;
  maxElements: number;
  maxAttributes: number;
}

export class XmlSyntaxError extends Error {
  constructor(message: string, position: number) {
    super(`${message} (at character ${position})`);
    this.name = 'XmlSyntaxError';
  }
}

const predefinedEntities: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

export function entityValue(body: string): string | undefined {
  const predefined = predefinedEntities[body];
  if (predefined !== undefined) {
    return predefined;
  }
  const match = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(body);
  if (match === null) {
    return undefined;
  }
  const codePoint = match[1] !== undefined ? Number.parseInt(match[1], 16) : Number(match[2]);
  const allowed =
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff);
  return allowed ? String.fromCodePoint(codePoint) : undefined;
}

/** The namespaces in scope for an element: its parent's plus its own `xmlns` declarations. */
export function declaredNamespaces(
  raw: ReadonlyArray<[string, string]>,
  inherited: Readonly<Record<string, string>>,
  fail: () => never,
): Readonly<Record<string, string>> {
  const declarations = raw.filter(([name]) => name === 'xmlns' || name.startsWith('xmlns:'));
  if (declarations.length === 0) {
    return inherited;
  }
  const namespaces: Record<string, string> = { ...inherited };
  for (const [name, value] of declarations) {
    const prefix = name === 'xmlns' ? '' : name.slice('xmlns:'.length);
    // Undeclaring a prefix (xmlns:p="") is XML 1.1; rebinding `xml` or `xmlns` is forbidden.
    if ((prefix !== '' && value === '') || prefix === 'xml' || prefix === 'xmlns') {
      fail();
    }
    namespaces[prefix] = value;
  }
  return namespaces;
}
