/**
 * A relayed chunk without its `"usage":null`, for clients that did not ask for usage. The gateway
 * always asks OpenAI-compatible upstreams for usage (to meter every stream), and they then put
 * `"usage":null` on every chunk; relayed as is, a client that never set `include_usage` would see
 * a key it did not ask for. Chunks are relayed as bytes for speed, so this is a substring check and
 * at most one cut, not a parse; only an unusually spaced key is re-serialized.
 */
export function withoutNullUsage(raw: string): string {
  const at = raw.indexOf('"usage":null');
  if (at === -1) {
    return raw.includes('"usage"') ? reserialized(raw) : raw;
  }
  const end = at + '"usage":null'.length;
  if (raw[at - 1] === ',') {
    return raw.slice(0, at - 1) + raw.slice(end);
  }
  if (raw[end] === ',') {
    return raw.slice(0, at) + raw.slice(end + 1);
  }
  return reserialized(raw);
}

function reserialized(raw: string): string {
  try {
    const chunk = JSON.parse(raw) as Record<string, unknown>;
    if (chunk.usage !== null) {
      return raw;
    }
    const { usage: _usage, ...rest } = chunk;
    return JSON.stringify(rest);
  } catch {
    return raw;
  }
}
