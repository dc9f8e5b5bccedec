/**
 * A custom field's value from `data.custom_fields` of a Pipedrive webhooks v2 body. Webhooks v2
 * send each as `{ "type": "varchar", "value": "…" }` (null when empty); the v2 REST API sends the
 * bare value. Both are read, so a field keeps working whichever form arrives. Only text-like
 * values of up to 200 characters are ids.
 */
export function customFieldText(
  customFields: Readonly<Record<string, unknown>> | null | undefined,
  key: string | undefined,
): string | null {
  if (customFields == null || key === undefined || key === '') {
    return null;
  }
  const field = customFields[key];
  const value =
    field !== null && typeof field === 'object' && 'value' in field
      ? (field as { value: unknown }).value
      : field;
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value !== 'string') {
    return null;
  }
  const text = value.trim();
  return text === '' || text.length > 200 ? null : text;
}
