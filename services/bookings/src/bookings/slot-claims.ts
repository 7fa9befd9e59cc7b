/**
 * Creations in flight in this process, per listing: the range each is about to insert. A request whose
 * window overlaps one in flight waits for that one's outcome without holding a database connection, and
 * when it created its booking, the slot is visibly taken and the request answers 409 at once instead of
 * reading the listing and queueing on its lock only to fail on the exclusion constraint. Not the guard:
 * other replicas do not see these claims, and the constraint still decides every insert that goes ahead.
 *
 * A claim starts `reading` (the request's window, taken before its first read, so the requests of a burst
 * for one slot wait for the first instead of all reading the listing) and becomes `inserting` (the whole
 * busy range, buffer included) once its window passed the rules. Only requests without a claim of their
 * own wait for a reading claim, and a reading claim waits only for inserting ones, which wait for nobody:
 * no two requests can wait for each other.
 */
export class SlotClaims {
  readonly #byListing = new Map<string, Set<SlotClaim>>()

  /**
   * A claim in flight on `listingId` overlapping [start, busyUntil), if any; with `insertingOnly`, only a
   * claim past its reads, and never `except` (the caller's own).
   */
  rivalOf(
    listingId: string,
    start: number,
    busyUntil: number,
    opts: { insertingOnly?: boolean; except?: SlotClaim } = {},
  ): SlotClaim | undefined {
    for (const claim of this.#byListing.get(listingId) ?? []) {
      if (claim === opts.except || (opts.insertingOnly && claim.phase !== 'inserting')) continue
      if (claim.start < busyUntil && start < claim.busyUntil) return claim
    }
    return undefined
  }

  /**
   * Registers a creation about to read (`reading`, its window) or insert (`inserting`, its busy range);
   * settle it once its transaction ended or the request failed.
   */
  add(listingId: string, start: number, busyUntil: number, owner: ClaimOwner, phase: ClaimPhase): SlotClaim {
    let claims = this.#byListing.get(listingId)
    if (!claims) {
      claims = new Set()
      this.#byListing.set(listingId, claims)
    }
    const set = claims
    let settle!: (created: boolean) => void
    const outcome = new Promise<boolean>((resolve) => {
      settle = resolve
    })
    const claim: SlotClaim = {
      start,
      busyUntil,
      owner,
      phase,
      outcome,
      insert(until) {
        claim.busyUntil = until
        claim.phase = 'inserting'
      },
      settle: (created) => {
        set.delete(claim)
        if (set.size === 0 && this.#byListing.get(listingId) === set) this.#byListing.delete(listingId)
        settle(created)
      },
    }
    set.add(claim)
    return claim
  }
}

/** Who made a claim: a twin (same user and Idempotency-Key) replays the stored answer rather than a 409. */
export interface ClaimOwner {
  userId: string
  idempotencyKey: string | undefined
}

export type ClaimPhase = 'reading' | 'inserting'

export interface SlotClaim {
  readonly start: number
  busyUntil: number
  readonly owner: ClaimOwner
  phase: ClaimPhase
  /** Resolves true once the booking committed, false when the creation failed. */
  readonly outcome: Promise<boolean>
  /** Moves a reading claim to inserting, over its busy range up to `busyUntil`. */
  insert(busyUntil: number): void
  settle(created: boolean): void
}
