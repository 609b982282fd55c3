// A scriptable byte source and byte sink for the port tests: they record what the port asks of
// them and let a test play the other side (push bytes, grant room, complete writes, fail).
import type { ByteSource, InputPortFeed } from "../../src/port/byte-source.js";
import type { ByteSink, OutputPortFeed } from "../../src/port/byte-sink.js";

export class FakeSource implements ByteSource {
  feed!: InputPortFeed;
  readonly log: string[] = [];
  paused = false;
  closed = 0;

  start(feed: InputPortFeed): void {
    this.feed = feed;
    this.log.push("start");
  }
  pause(): void {
    this.paused = true;
    this.log.push("pause");
  }
  resume(): void {
    this.paused = false;
    this.log.push("resume");
  }
  close(): void {
    this.closed++;
    this.log.push("close");
  }
  push(s: string | Uint8Array): void {
    this.feed.push(typeof s === "string" ? new TextEncoder().encode(s) : s);
  }
}

export class FakeSink implements ByteSink {
  feed!: OutputPortFeed;
  readonly log: string[] = [];
  /** Chunks written, in order, as text. */
  readonly chunks: string[] = [];
  /** Completion callbacks not yet called (when `autoDone` is off). */
  readonly pending: ((err?: unknown) => void)[] = [];
  room = Infinity;
  autoDone = true;
  ended = 0;
  abandoned = 0;
  overruns = 0;

  start(feed: OutputPortFeed): void {
    this.feed = feed;
  }
  capacity(): number {
    return this.room;
  }
  write(chunk: Uint8Array, done: (err?: unknown) => void): void {
    // Only a closing port's final flush may exceed the room; tests check `overruns` elsewhere.
    if (chunk.length > this.room) this.overruns++;
    this.room = Math.max(0, this.room - chunk.length);
    this.chunks.push(new TextDecoder().decode(chunk));
    this.log.push(`write ${chunk.length}`);
    if (this.autoDone) done();
    else this.pending.push(done);
  }
  end(): void {
    this.ended++;
    this.log.push("end");
  }
  abandon(): void {
    this.abandoned++;
    this.log.push("abandon");
  }
  /** Everything written, joined. */
  get text(): string {
    return this.chunks.join("");
  }
  /** Makes `n` more bytes of room and tells the port. */
  grant(n: number): void {
    this.room += n;
    this.feed.ready();
  }
  /** Completes the oldest pending write. */
  complete(err?: unknown): void {
    this.pending.shift()!(err);
  }
}
