// The few js-csp 1.0.1 bindings the ping-pong workload uses (the package ships no types).
declare module "js-csp" {
  export interface Chan {
    readonly __jsCspChannel: unique symbol;
  }
  export interface Instruction {
    readonly __jsCspInstruction: unique symbol;
  }
  export function chan(size?: number): Chan;
  export function go<A extends unknown[]>(
    f: (...args: A) => Generator<Instruction, unknown, unknown>,
    args?: A,
  ): Chan;
  export function put(ch: Chan, value: unknown): Instruction;
  export function take(ch: Chan): Instruction;
  export function takeAsync(ch: Chan, callback: (value: unknown) => void): void;
  const csp: {
    chan: typeof chan;
    go: typeof go;
    put: typeof put;
    take: typeof take;
    takeAsync: typeof takeAsync;
  };
  export default csp;
}
