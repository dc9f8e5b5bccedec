/**
 * A small, strict XML 1.0 parser for the one XML document the gateway reads: a Salesforce Outbound
 * Message (SOAP 1.1). Written here rather than taken from a library because what a webhook needs is
 * mostly what it must refuse: no DTD (so no entity expansion, no external entities, no "billion
 * laughs"), no processing instructions, only the five predefined entities and character references,
 * and hard limits on size, depth and element count. Namespaces are resolved, so elements are matched
 * by (namespace URI, local name) and never by whatever prefix the sender chose.
 */

import {
  declaredNamespaces,
  entityValue,
  type XmlElement,
  type XmlLimits,
  XmlSyntaxError,
} from './xml-element.ts';

const defaultXmlLimits: XmlLimits = {
  maxLength: 1024 * 1024,
  maxDepth: 32,
  maxElements: 50_000,
  maxAttributes: 64,
};

const namePattern = /[A-Za-z_][A-Za-z0-9._-]*(?::[A-Za-z_][A-Za-z0-9._-]*)?/y;
const xmlNamespace = 'http://www.w3.org/XML/1998/namespace';
export function parseStrictXml(input: string, limits: XmlLimits = defaultXmlLimits): XmlElement {
  if (input.length > limits.maxLength) {
    throw new XmlSyntaxError(`document longer than ${limits.maxLength} characters`, 0);
  }
  const parser = new StrictXmlParser(input, limits);
  return parser.document();
}

class StrictXmlParser {
  #position = 0;
  #elements = 0;

  constructor(
    private readonly input: string,
    private readonly limits: XmlLimits,
  ) {}

  document(): XmlElement {
    if (this.input.startsWith('\uFEFF')) {
      this.#position = 1;
    }
    if (this.input.startsWith('<?xml', this.#position)) {
      this.declaration();
    }
    this.misc();
    if (this.input[this.#position] !== '<') {
      this.fail('expected the root element');
    }
    const root = this.element(1, { xml: xmlNamespace });
    this.misc();
    if (this.#position < this.input.length) {
      this.fail('content after the root element');
    }
    return root;
  }

  private fail(message: string): never {
    throw new XmlSyntaxError(message, this.#position);
  }

  private declaration(): void {
    const end = this.input.indexOf('?>', this.#position);
    if (end < 0) {
      this.fail('unterminated XML declaration');
    }
    const text = this.input.slice(this.#position + 5, end);
    if (!/^\s+version\s*=\s*(["'])1\.[0-9]\1/.test(text)) {
      this.fail('the XML declaration needs version 1.x');
    }
    const encoding = /\sencoding\s*=\s*(["'])([A-Za-z0-9._-]+)\1/.exec(text)?.[2];
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
      this.fail(`encoding ${encoding} is not accepted (UTF-8 only)`);
    }
    this.#position = end + 2;
  }

  /** Whitespace and comments between top-level constructs; a DTD or a PI is refused. */
  private misc(): void {
    for (;;) {
      this.skipWhitespace();
      if (this.input.startsWith('<!--', this.#position)) {
        this.comment();
      } else if (this.input.startsWith('<!', this.#position)) {
        this.fail('DTDs and declarations are not accepted');
      } else if (this.input.startsWith('<?', this.#position)) {
        this.fail('processing instructions are not accepted');
      } else {
        return;
      }
    }
  }

  private skipWhitespace(): boolean {
    const start = this.#position;
    while (/[ \t\r\n]/.test(this.input[this.#position] ?? '')) {
      this.#position += 1;
    }
    return this.#position > start;
  }

  private comment(): void {
    const end = this.input.indexOf('-->', this.#position + 4);
    if (end < 0) {
      this.fail('unterminated comment');
    }
    this.#position = end + 3;
  }

  private name(): string {
    namePattern.lastIndex = this.#position;
    const match = namePattern.exec(this.input);
    if (match === null) {
      this.fail('expected a name');
    }
    this.#position += match[0].length;
    return match[0];
  }

  private expect(literal: string): void {
    if (!this.input.startsWith(literal, this.#position)) {
      this.fail(`expected '${literal}'`);
    }
    this.#position += literal.length;
  }

  private element(depth: number, inherited: Readonly<Record<string, string>>): XmlElement {
    if (depth > this.limits.maxDepth) {
      this.fail(`elements nested deeper than ${this.limits.maxDepth}`);
    }
    this.#elements += 1;
    if (this.#elements > this.limits.maxElements) {
      this.fail(`more than ${this.limits.maxElements} elements`);
    }
    this.expect('<');
    const qname = this.name();
    const { raw, selfClosing } = this.attributeList();
    const namespaces = declaredNamespaces(raw, inherited, () => this.fail('bad namespace'));
    const [uri, local] = this.resolve(qname, namespaces, true);
    const attributes = raw
      .filter(([name]) => name !== 'xmlns' && !name.startsWith('xmlns:'))
      .map(([name, value]) => {
        const [attributeUri, attributeLocal] = name.includes(':')
          ? this.resolve(name, namespaces, false)
          : ['', name];
        return { uri: attributeUri, local: attributeLocal, value };
      });
    if (selfClosing) {
      return { uri, local, attributes, children: [], text: '', namespaces };
    }
    const { children, text } = this.content(qname, depth, namespaces);
    return { uri, local, attributes, children, text, namespaces };
  }

  private attributeList(): { raw: Array<[string, string]>; selfClosing: boolean } {
    const raw: Array<[string, string]> = [];
    for (;;) {
      const spaced = this.skipWhitespace();
      if (this.input.startsWith('/>', this.#position)) {
        this.#position += 2;
        return { raw, selfClosing: true };
      }
      if (this.input[this.#position] === '>') {
        this.#position += 1;
        return { raw, selfClosing: false };
      }
      if (!spaced) {
        this.fail('expected whitespace before an attribute');
      }
      const name = this.name();
      if (raw.some(([seen]) => seen === name)) {
        this.fail(`duplicate attribute ${name}`);
      }
      if (raw.length >= this.limits.maxAttributes) {
        this.fail(`more than ${this.limits.maxAttributes} attributes`);
      }
      this.skipWhitespace();
      this.expect('=');
      this.skipWhitespace();
      raw.push([name, this.attributeValue()]);
    }
  }

  private attributeValue(): string {
    const quote = this.input[this.#position];
    if (quote !== '"' && quote !== "'") {
      this.fail('expected a quoted attribute value');
    }
    const end = this.input.indexOf(quote, this.#position + 1);
    if (end < 0) {
      this.fail('unterminated attribute value');
    }
    const value = this.input.slice(this.#position + 1, end);
    if (value.includes('<')) {
      this.fail("'<' in an attribute value");
    }
    const decoded = this.decode(value.replace(/[\t\r\n]/g, ' '));
    this.#position = end + 1;
    return decoded;
  }

  private content(
    qname: string,
    depth: number,
    namespaces: Readonly<Record<string, string>>,
  ): { children: XmlElement[]; text: string } {
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const next = this.input.indexOf('<', this.#position);
      if (next < 0) {
        this.fail(`element ${qname} is not closed`);
      }
      text += this.decode(this.input.slice(this.#position, next));
      this.#position = next;
      if (this.input.startsWith('</', next)) {
        this.#position += 2;
        if (this.name() !== qname) {
          this.fail(`mismatched end tag for ${qname}`);
        }
        this.skipWhitespace();
        this.expect('>');
        return { children, text };
      }
      if (this.input.startsWith('<!--', next)) {
        this.comment();
      } else if (this.input.startsWith('<![CDATA[', next)) {
        const end = this.input.indexOf(']]>', next + 9);
        if (end < 0) {
          this.fail('unterminated CDATA section');
        }
        text += this.input.slice(next + 9, end);
        this.#position = end + 3;
      } else if (this.input.startsWith('<!', next) || this.input.startsWith('<?', next)) {
        this.fail('declarations and processing instructions are not accepted');
      } else {
        children.push(this.element(depth + 1, namespaces));
      }
    }
  }

  private resolve(
    qname: string,
    namespaces: Readonly<Record<string, string>>,
    useDefault: boolean,
  ): [string, string] {
    const colon = qname.indexOf(':');
    if (colon < 0) {
      return [useDefault ? (namespaces[''] ?? '') : '', qname];
    }
    const uri = namespaces[qname.slice(0, colon)];
    if (uri === undefined) {
      this.fail(`unbound namespace prefix in ${qname}`);
    }
    return [uri, qname.slice(colon + 1)];
  }

  /** Character data with the five predefined entities and character references; nothing else. */
  private decode(value: string): string {
    if (!value.includes('&')) {
      return value;
    }
    return value.replace(/&([^;&]{0,12})(;?)/g, (_match, body: string, semicolon: string) => {
      const replacement = semicolon === ';' ? entityValue(body) : undefined;
      if (replacement === undefined) {
        this.fail(`undefined or malformed entity reference &${body}${semicolon}`);
      }
      return replacement;
    });
  }
}
