/**
 * Creations in flight in this process, per listing: the busy range each is about to insert. A request whose
 * range overlaps one in flight waits for that one's outcome without holding a database connection, and
 * when it created its booking, the slot is visibly taken and the request answers 409 at once instead of
 * queueing on the listing's lock only to fail on the exclusion constraint. Not the guard: other replicas
 * do not see these claims, and the constraint still decides every insert that goes ahead.
 */
export class SlotClaims {
  readonly #byListing = new Map<string, Set<SlotClaim>>()

  /** A claim in flight on `listingId` overlapping [start, busyUntil), if any. */
  rivalOf(listingId: string, start: number, busyUntil: number): SlotClaim | undefined {
    for (const claim of this.#byListing.get(listingId) ?? []) {
      if (claim.start < busyUntil && start < claim.busyUntil) return claim
    }
    return undefined
  }

  /** Registers a creation about to insert [start, busyUntil); settle it once its transaction ended. */
  add(listingId: string, start: number, busyUntil: number, owner: ClaimOwner): SlotClaim {
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
      outcome,
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

export interface SlotClaim {
  readonly start: number
  readonly busyUntil: number
  readonly owner: ClaimOwner
  /** Resolves true once the booking committed, false when the creation failed. */
  readonly outcome: Promise<boolean>
  settle(created: boolean): void
}
