import { describe, expect, it } from 'vitest';
import {
  parseStrictXml,
  XmlSyntaxError,
} from '../../../../../src/pipeline/outcomes/events/index.ts';

const refuse = (xml: string, message: RegExp, limits?: Parameters<typeof parseStrictXml>[1]) =>
  expect(() => parseStrictXml(xml, limits)).toThrow(message);

describe('parseStrictXml', () => {
  it('resolves namespaces by URI, whatever prefixes the sender chose', () => {
    const a = parseStrictXml(
      '<e:Envelope xmlns:e="urn:env"><e:Body><x:op xmlns:x="urn:op"/></e:Body></e:Envelope>',
    );
    const b = parseStrictXml(
      '<Envelope xmlns="urn:env"><Body><op xmlns="urn:op"/></Body></Envelope>',
    );
    for (const root of [a, b]) {
      expect(root).toMatchObject({ uri: 'urn:env', local: 'Envelope' });
      expect(root.children[0]?.children[0]).toMatchObject({ uri: 'urn:op', local: 'op' });
    }
    // Unprefixed attributes are in no namespace; prefixed ones in their prefix's.
    const typed = parseStrictXml(
      '<o xmlns="urn:d" xmlns:xsi="urn:xsi" id="1" xsi:type="sf:Opportunity" xmlns:sf="urn:sf"/>',
    );
    expect(typed.attributes).toEqual([
      { uri: '', local: 'id', value: '1' },
      { uri: 'urn:xsi', local: 'type', value: 'sf:Opportunity' },
    ]);
    expect(typed.namespaces.sf).toBe('urn:sf');
  });

  it('decodes the predefined entities, character references and CDATA; skips comments', () => {
    const root = parseStrictXml(
      '<?xml version="1.0" encoding="utf-8"?>\n<!-- hi --><t a="x &amp; &#x79;">&lt;b&gt; &quot;&apos; &#8212;<![CDATA[<raw & kept>]]><!-- c --></t>',
    );
    expect(root.text).toBe('<b> "\' —<raw & kept>');
    expect(root.attributes[0]?.value).toBe('x & y');
  });

  it('refuses DTDs, entities it does not know, processing instructions and other encodings', () => {
    refuse('<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><t>&x;</t>', /DTDs/);
    refuse('<t>&x;</t>', /entity reference &x;/);
    refuse('<t>a & b</t>', /entity reference/);
    refuse('<t>&#0;</t>', /entity reference/);
    refuse('<t><?php echo 1 ?></t>', /processing instructions/);
    refuse('<?xml-stylesheet href="a"?><t/>', /version 1\.x|processing/);
    refuse('<?xml version="1.0" encoding="ISO-8859-1"?><t/>', /UTF-8 only/);
    refuse('<t><!ENTITY x "y"></t>', /declarations/);
  });

  it('refuses what is not well-formed', () => {
    refuse('<a><b></a></b>', /mismatched end tag/);
    refuse('<a>', /not closed/);
    refuse('<a/><b/>', /after the root element/);
    refuse('<a x="1" x="2"/>', /duplicate attribute/);
    refuse('<a x=1/>', /quoted attribute/);
    refuse('<a x="<"/>', /'<' in an attribute/);
    refuse('<p:a/>', /unbound namespace prefix/);
    refuse('<a xmlns:p=""/>', /bad namespace/);
    refuse('text', /root element/);
    refuse('', /root element/);
  });

  it('enforces its limits on length, depth, element count and attributes', () => {
    const limits = { maxLength: 200, maxDepth: 3, maxElements: 5, maxAttributes: 2 };
    refuse(`<a>${'x'.repeat(300)}</a>`, /longer than 200/, limits);
    refuse('<a><b><c><d/></c></b></a>', /deeper than 3/, limits);
    refuse('<a><b/><b/><b/><b/><b/></a>', /more than 5 elements/, limits);
    refuse('<a x="1" y="2" z="3"/>', /more than 2 attributes/, limits);
    expect(parseStrictXml('<a><b><c/></b></a>', limits).children).toHaveLength(1);
    // A deep document with default limits stops at depth 32, long before the stack would.
    refuse(`${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`, /deeper than 32/);
  });

  it('reports errors as XmlSyntaxError with a position', () => {
    try {
      parseStrictXml('<a></b>');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(XmlSyntaxError);
      expect((error as Error).message).toMatch(/at character \d+/);
    }
  });
});
