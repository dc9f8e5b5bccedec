/** A Responses input or output item as JSON. */
export type ResponseItem = Record<string, unknown>;

/** A response kept for `GET /v1/responses/{id}`, `item_reference` and `previous_response_id`. */
export interface StoredResponse {
  readonly id: string;
  readonly organizationId: string;
  /** The response object as the client got it. */
  readonly response: Record<string, unknown>;
  /** The conversation that led to it (earlier turns and this request's input, references resolved). */
  readonly inputItems: readonly ResponseItem[];
  readonly createdAt: number;
  readonly expiresAt: number;
}

/**
 * Stored responses, always per organization: a read or delete with another organization's key
 * finds nothing (404), exactly as for an id that never existed.
 */
export interface ResponseStore {
  get(organizationId: string, id: string): Promise<StoredResponse | undefined>;
  /** Written behind the answer; false when it could not be kept (counted, logged). */
  put(stored: StoredResponse): boolean;
  delete(organizationId: string, id: string): Promise<boolean>;
}

/**
 * The newest responses in memory, oldest dropped past `capacity`, each gone after its
 * `expiresAt`. The stand-alone store for one process; in front of the database store as its
 * cache (the response is readable at once, before its row is written).
 */
export class MemoryResponseStore implements ResponseStore {
  private readonly entries = new Map<string, StoredResponse>();

  constructor(
    private readonly capacity: number,
    private readonly now: () => number,
  ) {}

  async get(organizationId: string, id: string): Promise<StoredResponse | undefined> {
    return this.peek(organizationId, id);
  }

  peek(organizationId: string, id: string): StoredResponse | undefined {
    const key = entryKey(organizationId, id);
    const stored = this.entries.get(key);
    if (stored && stored.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return stored;
  }

  put(stored: StoredResponse): boolean {
    if (this.capacity === 0) {
      return false;
    }
    this.entries.set(entryKey(stored.organizationId, stored.id), stored);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) {
        break;
      }
      this.entries.delete(oldest.value);
    }
    return true;
  }

  async delete(organizationId: string, id: string): Promise<boolean> {
    return this.forget(organizationId, id);
  }

  forget(organizationId: string, id: string): boolean {
    const key = entryKey(organizationId, id);
    const stored = this.entries.get(key);
    this.entries.delete(key);
    return stored !== undefined && stored.expiresAt > this.now();
  }
}

function entryKey(organizationId: string, id: string): string {
  return `${organizationId}\u0000${id}`;
}
