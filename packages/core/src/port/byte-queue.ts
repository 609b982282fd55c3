// An input port's unread bytes: the chunks its source pushed, kept as they came (no copying on the
// way in), read and peeked at any offset, consumed from the front.

/** @internal */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private first = 0; // index of the first live chunk
  private offset = 0; // bytes already consumed from chunks[first]
  /** Unread bytes. */
  length = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  clear(): void {
    this.chunks = [];
    this.first = this.offset = this.length = 0;
  }

  /** The byte at `i` (0 ≤ i < length). */
  byteAt(i: number): number {
    let k = this.first;
    let at = i + this.offset;
    for (;;) {
      const c = this.chunks[k]!;
      if (at < c.length) return c[at]!;
      at -= c.length;
      k++;
    }
  }

  /** Copies `n` bytes starting `skip` bytes in into `dst` at `dstStart`. */
  copyTo(dst: Uint8Array, dstStart: number, skip: number, n: number): void {
    let k = this.first;
    let at = skip + this.offset;
    while (n > 0) {
      const c = this.chunks[k++]!;
      if (at >= c.length) {
        at -= c.length;
        continue;
      }
      const m = Math.min(n, c.length - at);
      dst.set(c.subarray(at, at + m), dstStart);
      dstStart += m;
      n -= m;
      at = 0;
    }
  }

  /** A fresh copy of `n` bytes starting `skip` bytes in. */
  copy(skip: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    this.copyTo(out, 0, skip, n);
    return out;
  }

  /** Drops the first `n` bytes. */
  consume(n: number): void {
    this.length -= n;
    let at = this.offset + n;
    const chunks = this.chunks;
    while (at > 0 && this.first < chunks.length && at >= chunks[this.first]!.length) {
      at -= chunks[this.first]!.length;
      this.first++;
    }
    this.offset = at;
    if (this.first === chunks.length) {
      this.chunks = [];
      this.first = this.offset = 0;
    } else if (this.first > 64 && this.first * 2 > chunks.length) {
      this.chunks = chunks.slice(this.first);
      this.first = 0;
    }
  }

  /**
   * The index (≥ `from`) of the first byte equal to `a` or `b`, or -1. Walks the chunks, so a line
   * search costs what the line costs.
   */
  indexOf2(a: number, b: number, from: number): number {
    let k = this.first;
    let base = -this.offset; // index (in queue terms) of chunks[k][0]
    const chunks = this.chunks;
    for (; k < chunks.length; k++) {
      const c = chunks[k]!;
      const end = base + c.length;
      if (end > from) {
        for (let j = Math.max(0, from - base); j < c.length; j++) {
          const x = c[j]!;
          if (x === a || x === b) return base + j;
        }
      }
      base = end;
    }
    return -1;
  }
}
