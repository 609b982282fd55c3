// The raw-Node baseline for a rendezvous channel: a one-slot handoff built from plain promises.
// A put waits for a getter and a get waits for a putter, as on a Racket channel, with none of the
// event machinery (no choice, no commit flag, no abandon).

interface Putter<T> {
  readonly value: T;
  readonly resolve: () => void;
}

export class Handoff<T> {
  private readonly putters: Putter<T>[] = [];
  private readonly getters: ((v: T) => void)[] = [];

  put(value: T): Promise<void> {
    const g = this.getters.shift();
    if (g) {
      g(value);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.putters.push({ value, resolve }));
  }

  get(): Promise<T> {
    const p = this.putters.shift();
    if (p) {
      p.resolve();
      return Promise.resolve(p.value);
    }
    return new Promise((resolve) => this.getters.push(resolve));
  }
}
