/**
 * Who is looking at the console, resolved from the session: an admin (every organization, may
 * change things), an organization's key (that organization only, read-only), or the open loopback
 * gateway without keys (organization `default`, read-only, like the API).
 */
export interface ConsoleViewer {
  readonly kind: 'admin' | 'key' | 'open';
  /** Null for admins: every organization. */
  readonly organizationId: string | null;
  /** Registry, training and key changes: admins only. */
  readonly canChange: boolean;
  /** The synchronizer token every state-changing form of this session carries. */
  readonly csrfToken: string;
  /** Who the audit trail names for a change made in this session. */
  readonly actor: string;
  /** How the header shows the session. */
  readonly label: string;
}

/** The organization a page shows: the viewer's own, or for admins the one picked (null: all). */
export function organizationScope(
  viewer: ConsoleViewer,
  picked: string | undefined,
): string | null {
  if (viewer.organizationId !== null) {
    return viewer.organizationId;
  }
  const trimmed = picked?.trim();
  return trimmed ? trimmed : null;
}
