// The non-primitive node kinds of an event tree. The engine interprets them while it flattens a
// sync's candidates; the public constructors live in ../combinators/.
import { Evt, NOT_READY, PrimitiveEvt, type NotReady, type Syncable } from "./evt.js";
import type { Candidate } from "./candidate.js";
import type { Standing } from "../engine/standing.js";

/** `choiceEvt(…)`: any one of its members. @internal */
export class ChoiceEvt<T = unknown> extends Evt<T> {
  /** How many syncs reached this choice (until standing registrations are decided). */
  syncs = 0;
  /** Standing registrations: `null` undecided, `false` not eligible. */
  standing: Standing | false | null = null;
  constructor(readonly evts: readonly Syncable[]) {
    super();
  }
}

/** `wrapEvt(e, f)`: `f` applied to `e`'s result after the commit. @internal */
export class WrapEvt<T = unknown> extends Evt<T> {
  constructor(
    readonly inner: Syncable,
    readonly f: (v: any) => T,
  ) {
    super();
  }
}

/** `handleEvt(e, f)`: like wrap, but `f` runs on a fresh stack and may be async. @internal */
export class HandleEvt<T = unknown> extends Evt<T> {
  constructor(
    readonly inner: Syncable,
    readonly f: (v: any) => T | PromiseLike<T>,
  ) {
    super();
  }
}

/**
 * `pollGuardEvt(f)` / `guardEvt(thunk)`: `f(isPoll)` is called when the sync reaches the event and
 * its event result stands in; a non-event result makes the guard ready with itself as the result
 * (as Racket's documentation says for every guard kind).
 * @internal
 */
export class PollGuardEvt<T = unknown> extends Evt<T> {
  constructor(readonly f: (isPoll: boolean) => unknown) {
    super();
  }
}

/** `nackGuardEvt(f)`: `f(nack)` is called when reached; `nack` fires iff this branch loses. @internal */
export class NackGuardEvt<T = unknown> extends Evt<T> {
  constructor(readonly f: (nack: Evt<void>) => unknown) {
    super();
  }
}

/** `replaceEvt(e, maker)`: commits `e` in a nested sync, then syncs on `maker(result)`. @internal */
export class ReplaceEvt<T = unknown> extends Evt<T> {
  constructor(
    readonly inner: Syncable,
    readonly maker: (v: any) => unknown,
  ) {
    super();
  }
}

/** An event that is ready at once with a fixed value (`(wrap-evt always-evt (λ _ v))`). @internal */
export class ReadyEvt<T = unknown> extends PrimitiveEvt<T> {
  constructor(readonly value: T) {
    super();
  }
  poll(_c: Candidate): T | NotReady {
    return this.value;
  }
  block(_c: Candidate): void {}
  abandon(_c: Candidate): void {}
}

/** The class of {@link neverEvt}: never ready; `sync` drops it from its candidates.
 *
 * @example
 * ```ts
 * import { neverEvt, NeverEvt } from "@rendezvous/core";
 * neverEvt instanceof NeverEvt; // true
 * ```
 */
export class NeverEvt extends Evt<never> {}

export { NOT_READY };
