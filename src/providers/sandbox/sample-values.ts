/** The leaf values the sandbox's JSON sampler draws from. */
export const words = [
  'pipeline',
  'outreach',
  'meeting',
  'follow-up',
  'quarter',
  'reply',
  'intro',
  'demo',
  'renewal',
  'growth',
  'team',
  'campaign',
];

/** Values for the string formats of JSON Schema and zod; `r` in [0, 1) varies them. */
export function formatted(format: string, r: number): string | undefined {
  const n = Math.floor(r * 1_000_000);
  const day = String(1 + (n % 28)).padStart(2, '0');
  const hour = String(n % 24).padStart(2, '0');
  switch (format) {
    case 'email':
    case 'idn-email':
      return `lead${n % 1000}@example.com`;
    case 'date-time':
      return `2025-03-${day}T${hour}:30:00Z`;
    case 'date':
      return `2025-03-${day}`;
    case 'time':
      return `${hour}:30:00Z`;
    case 'duration':
      return `P${1 + (n % 9)}D`;
    case 'uri':
    case 'url':
    case 'iri':
      return `https://example.com/leads/${n}`;
    case 'uri-reference':
      return `/leads/${n}`;
    case 'hostname':
    case 'idn-hostname':
      return `host${n % 100}.example.com`;
    case 'ipv4':
      return `192.0.2.${n % 255}`;
    case 'ipv6':
      return `2001:db8::${(n % 65_535).toString(16)}`;
    case 'uuid': {
      const hex = `${n.toString(16).padStart(8, '0')}a1b2c3d4e5f60718293a4b5c`.slice(0, 32);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    }
    default:
      return undefined;
  }
}

/** `value` without the float noise of multiplying by a decimal step (0.1 × 3). */
export function roundTo(value: number, step: number): number {
  const decimals = Math.min(12, Math.max(0, -Math.floor(Math.log10(step)) + 2));
  return Number(value.toFixed(decimals));
}
