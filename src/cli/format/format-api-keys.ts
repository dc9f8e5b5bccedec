import type { PublicApiKey } from '../../store/index.ts';
import { textTable } from './text-table.ts';

/** `rekindle keys list`: one line per key, never the key itself. */
export function formatApiKeys(keys: readonly PublicApiKey[]): string {
  if (keys.length === 0) {
    return 'No API keys.';
  }
  return textTable({
    headers: ['PREFIX', 'ORGANIZATION', 'RPM', 'STATUS', 'NAME', 'ID'],
    rows: keys.map((key) => [
      key.prefix,
      key.organization_id,
      String(key.rpm_limit ?? 'default'),
      key.revoked_at ? 'revoked' : 'active',
      key.name ?? '',
      key.id,
    ]),
  });
}
