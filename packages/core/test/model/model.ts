// A small reference model of the sync engine: an executable spec of which candidates a sync may
// choose, whom a post or a channel partner completes, and which NACKs must fire. It is
// nondeterministic where the engine may choose (the rotation), so the test checks the engine's
// choice against the set the model allows, then lets the model follow that choice.

/** An event tree over a few shared semaphores and channels. */
export type Tree =
  | { k: "always" }
  | { k: "never" }
  | { k: "sem"; i: number }
  | { k: "get"; i: number }
  | { k: "put"; i: number }
  | { k: "choice"; xs: Tree[] }
  | { k: "wrap"; x: Tree }
  | { k: "guard"; x: Tree }
  | { k: "nack"; x: Tree };

/** A tree with the ids the engine's results and guard logs refer to. */
export type Node =
  | { k: "always" | "sem" | "get" | "put"; i: number; leaf: number }
  | { k: "never" }
  | { k: "choice"; xs: Node[] }
  | { k: "wrap"; x: Node; wrap: number }
  | { k: "guard" | "nack"; x: Node; guard: number };

export interface Leaf {
  readonly id: number;
  readonly kind: "always" | "sem" | "get" | "put";
  /** The semaphore or channel index. */
  readonly i: number;
  /** Guards on the path from the root, outermost first. */
  readonly guards: readonly number[];
  /** Wraps on the path, innermost first: the order in which they apply. */
  readonly wraps: readonly number[];
}

export interface GuardInfo {
  readonly id: number;
  readonly nack: boolean;
  /** Enclosing guards: a guard can only run after all of these ran. */
  readonly ancestors: readonly number[];
}

export interface Shape {
  readonly root: Node;
  readonly leaves: readonly Leaf[];
  readonly guards: readonly GuardInfo[];
}

/** Numbers the leaves, wraps and guards of `t` (depth first) and lists each leaf's path. */
export function shapeOf(t: Tree): Shape {
  const leaves: Leaf[] = [];
  const guards: GuardInfo[] = [];
  let nextWrap = 0;
  const walk = (t: Tree, gs: number[], ws: number[]): Node => {
    switch (t.k) {
      case "never":
        return { k: "never" };
      case "choice":
        return { k: "choice", xs: t.xs.map((x) => walk(x, gs, ws)) };
      case "wrap": {
        const wrap = nextWrap++;
        return { k: "wrap", wrap, x: walk(t.x, gs, [wrap, ...ws]) };
      }
      case "guard":
      case "nack": {
        const guard = guards.length;
        guards.push({ id: guard, nack: t.k === "nack", ancestors: gs });
        return { k: t.k, guard, x: walk(t.x, [...gs, guard], ws) };
      }
      default: {
        const leaf = leaves.length;
        const i = t.k === "always" ? 0 : t.i;
        leaves.push({ id: leaf, kind: t.k, i, guards: gs, wraps: ws });
        return { k: t.k, i, leaf };
      }
    }
  };
  const root = walk(t, [], []);
  return { root, leaves, guards };
}

/** A sync the model knows to be blocked. */
export interface Pending {
  readonly key: number;
  readonly shape: Shape;
  /** Virtual ms at which it times out (Infinity: never). */
  readonly deadline: number;
  readonly abortable: boolean;
}

export class Model {
  /** Pending syncs in the order they blocked: FIFO order in every waiter queue. */
  pending: Pending[] = [];

  constructor(readonly sems: number[]) {}

  /** Whether leaf `l` of a new sync is ready now. A sync never matches its own put and get. */
  isReady(l: Leaf): boolean {
    switch (l.kind) {
      case "always":
        return true;
      case "sem":
        return this.sems[l.i]! > 0;
      default:
        return this.partner(l) !== undefined;
    }
  }

  /** The leaves a new sync over `shape` may choose at once; empty means it polls nothing ready. */
  readyLeaves(shape: Shape): Leaf[] {
    return shape.leaves.filter((l) => this.isReady(l));
  }

  /** The sync that a get (put) on channel `l.i` rendezvous with: the oldest offering a put (get). */
  partner(l: Leaf): Pending | undefined {
    const want = l.kind === "get" ? "put" : "get";
    return this.pending.find((p) => p.shape.leaves.some((x) => x.kind === want && x.i === l.i));
  }

  /** The leaves of pending `p` through which it may be completed by `l`'s rendezvous. */
  partnerLeaves(p: Pending, l: Leaf): Leaf[] {
    const want = l.kind === "get" ? "put" : "get";
    return p.shape.leaves.filter((x) => x.kind === want && x.i === l.i);
  }

  /** Whom a post of semaphore `i` wakes: the oldest sync blocked on it (or nobody). */
  waiterForPost(i: number): Pending | undefined {
    return this.pending.find((p) => p.shape.leaves.some((x) => x.kind === "sem" && x.i === i));
  }

  /** Applies a new sync's own commit of `l` (a rendezvous partner is removed by the caller). */
  commitNew(l: Leaf): void {
    if (l.kind === "sem") this.sems[l.i]!--;
  }

  /** A post: the count goes up, and the oldest waiter (if any) takes it at once. */
  post(i: number): Pending | undefined {
    const w = this.waiterForPost(i);
    if (w) this.remove(w);
    else this.sems[i]!++;
    return w;
  }

  /** The pending syncs whose deadline has passed at `now`; they leave the model. */
  expire(now: number): Pending[] {
    const gone = this.pending.filter((p) => p.deadline <= now);
    for (const p of gone) this.remove(p);
    return gone;
  }

  remove(p: Pending): void {
    this.pending = this.pending.filter((x) => x !== p);
  }

  /**
   * The NACKs that must be fired once a sync over `shape`, whose guards `ran`, ends with `chosen`
   * (null: nothing chosen — timeout, poll miss, break): every nack-guard that ran and whose subtree
   * does not hold the chosen leaf. All others must never fire.
   */
  static nacksFiring(shape: Shape, ran: ReadonlySet<number>, chosen: Leaf | null): Set<number> {
    const out = new Set<number>();
    for (const g of shape.guards) {
      if (g.nack && ran.has(g.id) && !(chosen && chosen.guards.includes(g.id))) out.add(g.id);
    }
    return out;
  }

  /**
   * Checks which guards ran in one sync: each at most once (`ranList` in call order), never before
   * its enclosing guards, all of them when nothing was chosen at once, and at least those on the
   * chosen leaf's path otherwise. Returns a complaint, or null.
   */
  static checkGuards(shape: Shape, ranList: readonly number[], chosen: Leaf | null): string | null {
    const ran = new Set(ranList);
    if (ran.size !== ranList.length) return `a guard ran twice: ${ranList.join(",")}`;
    for (let k = 0; k < ranList.length; k++) {
      const g = shape.guards[ranList[k]!]!;
      for (const a of g.ancestors) {
        if (!ranList.slice(0, k).includes(a)) return `guard ${g.id} ran before its ancestor ${a}`;
      }
    }
    const required = chosen ? chosen.guards : shape.guards.map((g) => g.id);
    for (const g of required) if (!ran.has(g)) return `guard ${g} should have run`;
    return null;
  }
}
