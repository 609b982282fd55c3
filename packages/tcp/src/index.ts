// @rendezvous/tcp: racket/tcp for Node.js. Named exports only, in the order of the API table
// (../../../docs/racket-mapping.md, "racket/tcp").

// Listeners
export { tcpListen } from "./listen.js";
export { TcpListener } from "./listener.js";
export { tcpClose } from "./close.js";

// Accepting
export { tcpAccept, tcpAcceptEnableBreak, isTcpAcceptReady } from "./accept.js";
export { tcpAcceptEvt, TcpAcceptEvt } from "./accept-evt.js";

// Connecting
export { tcpConnect, tcpConnectEnableBreak } from "./connect.js";

// Connections, addresses, predicates
export { tcpAbandonPort } from "./abandon.js";
export type { TcpInputPort, TcpOutputPort } from "./socket-ports.js";
export { tcpAddresses } from "./addresses.js";
export { isTcpListener, isTcpPort, isPortNumber, isListenPortNumber } from "./predicates.js";
