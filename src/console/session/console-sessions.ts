import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConsoleSessionRow, ConsoleStore } from '../../store/index.ts';
import type { ConsoleTenants } from '../console-services.ts';
import type { ConsoleViewer } from './console-viewer.ts';

export interface SessionSettings {
  /** A session ends this long after sign-in, whatever happens (default 12 h). */
  readonly ttlSeconds: number;
  /** …or after this long without a request (default 2 h). */
  readonly idleSeconds: number;
}

const defaultSessionSettings: SessionSettings = { ttlSeconds: 12 * 3600, idleSeconds: 7200 };

export interface StartedSession {
  /** The cookie's value: 32 random bytes. Only its SHA-256 is stored. */
  readonly sessionId: string;
  readonly viewer: ConsoleViewer;
}

const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Equal strings, compared through their digests so neither length nor content leaks by timing. */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Console sessions, kept server-side in `console_sessions` so every replica sees them and a
 * session can end before its cookie does: sign-out deletes it, revoking its API key ends it (the
 * SQL checks the key on every lookup), a changed admin token ends admin sessions (a fingerprint of
 * the token is stored), and open sessions end once the gateway has keys.
 */
export class ConsoleSessions {
  readonly #store: Pick<ConsoleStore, 'createSession' | 'session' | 'deleteSession'>;
  readonly #adminToken: () => string | undefined;
  readonly #tenants: ConsoleTenants;
  readonly #settings: SessionSettings;

  constructor(options: {
    store: Pick<ConsoleStore, 'createSession' | 'session' | 'deleteSession'>;
    adminToken: () => string | undefined;
    tenants: ConsoleTenants;
    settings?: SessionSettings;
  }) {
    this.#store = options.store;
    this.#adminToken = options.adminToken;
    this.#tenants = options.tenants;
    this.#settings = options.settings ?? defaultSessionSettings;
  }

  get settings(): SessionSettings {
    return this.#settings;
  }

  /** The admin token (full access) or a live API key (its organization); null for anything else. */
  async signIn(credential: string): Promise<StartedSession | null> {
    const given = credential.trim();
    const adminToken = this.#adminToken();
    if (given !== '' && adminToken && constantTimeEqual(given, adminToken)) {
      return this.#start('admin', null, null, adminFingerprint(adminToken));
    }
    const owner = given === '' ? null : this.#tenants.authenticateKey(given);
    return owner ? this.#start('key', owner.organizationId, owner.keyId, null) : null;
  }

  /** A session as organization `default` while the gateway is open (no keys, loopback). */
  async openSession(): Promise<StartedSession | null> {
    return this.#tenants.isOpen() ? this.#start('open', 'default', null, null) : null;
  }

  async resolve(sessionId: string | undefined): Promise<ConsoleViewer | null> {
    if (sessionId === undefined || !sessionIdPattern.test(sessionId)) {
      return null;
    }
    const idHash = sha256Hex(sessionId);
    const row = await this.#store.session(idHash, this.#settings.idleSeconds);
    if (row === null) {
      return null;
    }
    if (!this.#stillValid(row)) {
      await this.#store.deleteSession(idHash);
      return null;
    }
    return viewerOf(row, sessionId);
  }

  async signOut(sessionId: string | undefined): Promise<void> {
    if (sessionId !== undefined && sessionIdPattern.test(sessionId)) {
      await this.#store.deleteSession(sha256Hex(sessionId));
    }
  }

  #stillValid(row: ConsoleSessionRow): boolean {
    if (row.kind === 'admin') {
      const adminToken = this.#adminToken();
      return (
        adminToken !== undefined &&
        row.credential_hash !== null &&
        constantTimeEqual(row.credential_hash, adminFingerprint(adminToken))
      );
    }
    return row.kind === 'open' ? this.#tenants.isOpen() : true;
  }

  async #start(
    kind: ConsoleSessionRow['kind'],
    organizationId: string | null,
    apiKeyId: string | null,
    credentialHash: string | null,
  ): Promise<StartedSession> {
    const sessionId = randomBytes(32).toString('base64url');
    const row = await this.#store.createSession({
      idHash: sha256Hex(sessionId),
      kind,
      organizationId,
      apiKeyId,
      credentialHash,
      ttlSeconds: this.#settings.ttlSeconds,
    });
    return { sessionId, viewer: viewerOf(row, sessionId) };
  }
}

function adminFingerprint(token: string): string {
  return sha256Hex(`rekindle-console-admin\u0000${token}`);
}

/** Derived from the secret session id, so it needs no storage and no other session can guess it. */
function csrfTokenOf(sessionId: string): string {
  return createHash('sha256').update(`rekindle-console-csrf\u0000${sessionId}`).digest('base64url');
}

function viewerOf(row: ConsoleSessionRow, sessionId: string): ConsoleViewer {
  const csrfToken = csrfTokenOf(sessionId);
  if (row.kind === 'admin') {
    return {
      kind: 'admin',
      organizationId: null,
      canChange: true,
      csrfToken,
      actor: 'console:admin',
      label: 'Admin',
    };
  }
  const organizationId = row.organization_id ?? 'default';
  return {
    kind: row.kind,
    organizationId,
    canChange: false,
    csrfToken,
    actor: `console:${organizationId}`,
    label: row.kind === 'open' ? `${organizationId} (open, no keys)` : organizationId,
  };
}
