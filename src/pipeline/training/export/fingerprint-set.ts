/**
 * Exact dedupe in fixed memory: an open-addressing set of 64-bit content fingerprints in one
 * preallocated `Uint32Array` (8 bytes a slot, capacity a power of two). With 2^21 slots (16 MiB)
 * it holds 1.5 M distinct examples at 75 % load; two different examples share a 64-bit fingerprint
 * with probability about n²/2^65 (≈ 3·10⁻⁸ for a million). Past 75 % load it stops remembering new
 * fingerprints (`saturated`) instead of growing: the export keeps constant memory and reports it.
 */
export class FingerprintSet {
  readonly capacity: number;
  private readonly slots: Uint32Array;
  private readonly mask: number;
  private readonly maxEntries: number;
  private entries = 0;
  saturated = false;

  constructor(requestedCapacity: number) {
    let capacity = 1024;
    while (capacity < requestedCapacity) {
      capacity *= 2;
    }
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.maxEntries = Math.floor(capacity * 0.75);
    this.slots = new Uint32Array(capacity * 2);
  }

  get size(): number {
    return this.entries;
  }

  get memoryBytes(): number {
    return this.slots.byteLength;
  }

  /**
   * Records the fingerprint (the first 8 bytes of a digest) and says whether it was new.
   * When saturated, unseen fingerprints count as new without being stored.
   */
  add(digest: Uint8Array): boolean {
    const high =
      ((digest[0] ?? 0) << 24) |
      ((digest[1] ?? 0) << 16) |
      ((digest[2] ?? 0) << 8) |
      (digest[3] ?? 0);
    // Zero marks an empty slot, so a zero low word is nudged to 1 (one bit of the 64 lost).
    const low =
      (((digest[4] ?? 0) << 24) |
        ((digest[5] ?? 0) << 16) |
        ((digest[6] ?? 0) << 8) |
        (digest[7] ?? 0)) >>>
        0 || 1;
    let slot = (high ^ low) & this.mask;
    for (;;) {
      const storedLow = this.slots[slot * 2 + 1];
      if (storedLow === 0) {
        if (this.entries >= this.maxEntries) {
          this.saturated = true;
          return true;
        }
        this.slots[slot * 2] = high >>> 0;
        this.slots[slot * 2 + 1] = low;
        this.entries += 1;
        return true;
      }
      if (storedLow === low && this.slots[slot * 2] === high >>> 0) {
        return false;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}
