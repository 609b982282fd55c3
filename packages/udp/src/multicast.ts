// Multicast options and group membership. Racket's are IPv4 (its resolver is asked for IPv4
// addresses); so are ours on an IPv4 socket. On an IPv6 socket Node sets IPv6-level options only
// (IPV6_MULTICAST_IF/HOPS/LOOP), so there they govern IPv6 multicast, and joining accepts IPv6
// groups as well as IPv4 ones. Checks the kernel would make on a descriptor are made here too, so a
// socket that is not bound yet (the options are applied when it is) gives the same errors.
import type { UdpSocket } from "./socket.js";
import { checkByte, checkHost, checkOptionalHost, checkSocket, truthy } from "./checks.js";
import { networkError, posixError } from "./errors.js";
import { applyNow, checkOpen } from "./options.js";
import {
  isLocalAddress,
  literal,
  resolveError,
  resolveFirst,
  wildcard,
  wrongFamily,
  type Resolved,
} from "./resolve.js";

/**
 * The time-to-live of `s`'s multicast datagrams (Racket's `udp-multicast-ttl`); 1 until set.
 *
 * @throws `ExnFailNetwork` on a closed socket.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpMulticastTtl } from "@rendezvous/udp";
 * udpMulticastTtl(udpOpenSocket()); // 1
 * ```
 */
export function udpMulticastTtl(s: UdpSocket): number {
  checkOpen("udp-multicast-ttl", s);
  return s.multicastTtl;
}

/**
 * Sets the time-to-live of `s`'s multicast datagrams (Racket's `udp-multicast-set-ttl!`); 0 keeps
 * them on this host. On an IPv6 socket, the multicast hop limit.
 *
 * @throws `ExnFailContract` unless `ttl` is a byte; `ExnFailNetwork` on a closed socket.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpMulticastSetTtl, udpMulticastTtl } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * udpMulticastSetTtl(s, 4);
 * udpMulticastTtl(s); // 4
 * ```
 */
export function udpMulticastSetTtl(s: UdpSocket, ttl: number): void {
  const who = "udp-multicast-set-ttl!";
  checkSocket(who, s);
  checkByte(who, ttl);
  checkOpen(who, s);
  applyNow(who, s, (node) => node.setMulticastTTL(ttl));
  s.multicastTtl = ttl;
}

/**
 * Whether `s`'s multicast datagrams are looped back to this host's own members (Racket's
 * `udp-multicast-loopback?`); `true` until set.
 *
 * @throws `ExnFailNetwork` on a closed socket.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, isUdpMulticastLoopback } from "@rendezvous/udp";
 * isUdpMulticastLoopback(udpOpenSocket()); // true
 * ```
 */
export function isUdpMulticastLoopback(s: UdpSocket): boolean {
  checkOpen("udp-multicast-loopback?", s);
  return s.multicastLoopback;
}

/**
 * Turns multicast loopback on or off (Racket's `udp-multicast-set-loopback!`); any value but
 * `false`/`undefined` means on.
 *
 * @throws `ExnFailNetwork` on a closed socket.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpMulticastSetLoopback, isUdpMulticastLoopback } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * udpMulticastSetLoopback(s, false);
 * isUdpMulticastLoopback(s); // false
 * ```
 */
export function udpMulticastSetLoopback(s: UdpSocket, loopback: unknown): void {
  const who = "udp-multicast-set-loopback!";
  checkOpen(who, s);
  const on = truthy(loopback);
  applyNow(who, s, (node) => node.setMulticastLoopback(on));
  s.multicastLoopback = on;
}

/**
 * The address of the interface `s` sends multicast datagrams through (Racket's
 * `udp-multicast-interface`): `"0.0.0.0"` (the kernel chooses) until set; `"::"` on an IPv6 socket.
 *
 * @throws `ExnFailNetwork` on a closed socket.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpMulticastInterface } from "@rendezvous/udp";
 * udpMulticastInterface(udpOpenSocket()); // "0.0.0.0"
 * ```
 */
export function udpMulticastInterface(s: UdpSocket): string {
  checkOpen("udp-multicast-interface", s);
  return s.multicastInterface;
}

// Resolves an interface host for `family` (a host name is looked up; a numeric address of the
// other family fails as glibc fails it, with gai -9).
function resolveFor(
  who: string,
  host: string,
  family: 4 | 6,
  what: string,
): Resolved | Promise<Resolved> {
  const lit = literal(host);
  const fail = (err: unknown): never => {
    throw resolveError(who, host, null, err, what);
  };
  if (lit) return lit.family === family ? lit : fail(wrongFamily());
  return resolveFirst(host, family).catch(fail);
}

/**
 * Sets the interface `s` sends multicast datagrams through (Racket's
 * `udp-multicast-set-interface!`): the interface with address `host`, or with `false` the kernel's
 * choice. On an IPv4 socket `host` must be one of this host's IPv4 addresses; on an IPv6 socket an
 * IPv6 address, with the interface as its zone (`"::%lo"`).
 *
 * Returns a promise (a host name is looked up first); with a numeric address or `false` the
 * interface is set when the call returns.
 *
 * @throws `ExnFailNetwork` on a closed socket; `ExnFailNetworkErrno` `"setsockopt failed"`
 *   (`[99, "posix"]`: not a local address), or `"can't resolve address"` with a `"gai"` errno.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpMulticastSetInterface, udpMulticastInterface } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpMulticastSetInterface(s, "127.0.0.1");
 * udpMulticastInterface(s); // "127.0.0.1"
 * ```
 */
export function udpMulticastSetInterface(s: UdpSocket, host: string | false): Promise<void> {
  const who = "udp-multicast-set-interface!";
  let h: string | false;
  try {
    checkSocket(who, s);
    h = checkOptionalHost(who, host);
    checkOpen(who, s);
  } catch (err) {
    return Promise.reject(err);
  }
  const prepare = (): Resolved | Promise<Resolved> =>
    h === false
      ? { address: wildcard(s.family), family: s.family }
      : resolveFor(who, h, s.family, "can't resolve address");
  return s.serial(prepare, (r) => {
    checkOpen(who, s);
    if (s.family === 4 && !isLocalAddress(r.address, 4))
      throw networkError(who, "setsockopt failed", posixError("EADDRNOTAVAIL"));
    applyNow(who, s, (node) => node.setMulticastInterface(r.address));
    s.multicastInterface = r.address;
  });
}

function isMulticast(r: Resolved): boolean {
  if (r.family === 6) return /^ff/i.test(r.address);
  const first = Number(r.address.split(".")[0]);
  return first >= 224 && first <= 239;
}

function membership(
  who: string,
  join: boolean,
  s: UdpSocket,
  group: unknown,
  host: unknown,
): Promise<void> {
  let g: string;
  let h: string | false;
  try {
    checkSocket(who, s);
    g = checkHost(who, group);
    h = checkOptionalHost(who, host);
    checkOpen(who, s);
  } catch (err) {
    return Promise.reject(err);
  }
  const prepare = (): [Resolved, Resolved | null] | Promise<[Resolved, Resolved | null]> => {
    // An IPv4 socket joins IPv4 groups only (Racket asks its resolver for IPv4 addresses).
    const grp =
      s.family === 4
        ? resolveFor(who, g, 4, "can't resolve multicast address")
        : (literal(g) ??
          resolveFirst(g).catch((err) => {
            throw resolveError(who, g, null, err, "can't resolve multicast address");
          }));
    const withIface = (r: Resolved) => {
      if (h === false) return [r, null] as [Resolved, null];
      const i = resolveFor(who, h, r.family, "can't resolve address");
      return i instanceof Promise
        ? i.then((x) => [r, x] as [Resolved, Resolved])
        : ([r, i] as [Resolved, Resolved]);
    };
    return grp instanceof Promise ? grp.then(withIface) : withIface(grp);
  };
  return s.serial(prepare, ([grp, iface]) => {
    checkOpen(who, s);
    const fail = (code: string): never => {
      throw networkError(who, "setsockopt failed", posixError(code));
    };
    if (!isMulticast(grp)) fail("EINVAL");
    if (iface && iface.family === 4 && !isLocalAddress(iface.address, 4)) fail("ENODEV");
    const ifaceAddr = iface && iface.address !== wildcard(iface.family) ? iface.address : undefined;
    const key = `${grp.address}|${ifaceAddr ?? ""}`;
    if (join && s.memberships.has(key)) fail("EADDRINUSE");
    if (!join && !s.memberships.has(key)) fail("EADDRNOTAVAIL");
    applyNow(who, s, (node) =>
      join
        ? node.addMembership(grp.address, ifaceAddr)
        : node.dropMembership(grp.address, ifaceAddr),
    );
    if (join) s.memberships.set(key, { group: grp.address, iface: ifaceAddr });
    else s.memberships.delete(key);
  });
}

/**
 * Joins `s` to the multicast group `group` on the interface with address `host` (Racket's
 * `udp-multicast-join-group!`); with `host` `false` (or `"0.0.0.0"`) the kernel chooses the
 * interface. On an IPv4 socket `group` must be an IPv4 multicast address (224.0.0.0/4), as in
 * Racket; an IPv6 socket also accepts IPv6 groups (ff00::/8, `host` an IPv6 address whose zone names
 * the interface). Works on a socket that is not bound yet (applied when it is).
 *
 * Returns a promise (host names are looked up first); with numeric addresses the group is joined
 * when the call returns.
 *
 * @throws `ExnFailNetwork` on a closed socket; `ExnFailNetworkErrno` `"setsockopt failed"` —
 *   `[22, "posix"]` not a multicast address, `[98, "posix"]` already joined, `[19, "posix"]` no
 *   interface with that address — or `"can't resolve multicast address"` / `"can't resolve
 *   address"` with a `"gai"` errno (`[-9, "gai"]` for an IPv6 group on an IPv4 socket).
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpBind, udpMulticastJoinGroup } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpBind(s, false, 0);
 * await udpMulticastJoinGroup(s, "239.255.0.1", "127.0.0.1");
 * ```
 */
export function udpMulticastJoinGroup(
  s: UdpSocket,
  group: string,
  host: string | false,
): Promise<void> {
  return membership("udp-multicast-join-group!", true, s, group, host);
}

/**
 * Leaves a multicast group joined with {@link udpMulticastJoinGroup} (Racket's
 * `udp-multicast-leave-group!`), with the same `group` and `host`.
 *
 * @throws As {@link udpMulticastJoinGroup}, with `[99, "posix"]` for a group not joined.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpMulticastJoinGroup, udpMulticastLeaveGroup } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpMulticastJoinGroup(s, "239.255.0.1", false);
 * await udpMulticastLeaveGroup(s, "239.255.0.1", false);
 * ```
 */
export function udpMulticastLeaveGroup(
  s: UdpSocket,
  group: string,
  host: string | false,
): Promise<void> {
  return membership("udp-multicast-leave-group!", false, s, group, host);
}
