// @rendezvous/udp: racket/udp for Node.js. Named exports only, in the order of the API table
// (../../../docs/racket-mapping.md, "racket/udp").

// Sockets
export { udpOpenSocket, isUdp } from "./open-socket.js";
export { UdpSocket } from "./socket.js";
export { udpBind } from "./bind.js";
export { udpConnect } from "./connect.js";
export { udpClose } from "./close.js";
export { isUdpOpen, isUdpBound, isUdpConnected } from "./status.js";
export { udpAddresses } from "./addresses.js";

// Sending
export {
  udpSendTo,
  udpSend,
  udpSendToStar,
  udpSendStar,
  udpSendToEnableBreak,
  udpSendEnableBreak,
} from "./send.js";
export {
  udpSendToEvt,
  udpSendEvt,
  udpSendReadyEvt,
  UdpSendToEvt,
  UdpSendEvt,
  UdpSendReadyEvt,
} from "./send-evt.js";

// Receiving
export {
  udpReceive,
  udpReceiveStar,
  udpReceiveEnableBreak,
  udpReceiveDropCount,
} from "./receive.js";
export {
  udpReceiveEvt,
  udpReceiveReadyEvt,
  UdpReceiveEvt,
  UdpReceiveReadyEvt,
} from "./receive-evt.js";
export type { UdpReceived } from "./receive-evt.js";

// Options
export { udpSetReceiveBufferSize, udpTtl, udpSetTtl } from "./options.js";
export {
  udpMulticastJoinGroup,
  udpMulticastLeaveGroup,
  udpMulticastInterface,
  udpMulticastSetInterface,
  isUdpMulticastLoopback,
  udpMulticastSetLoopback,
  udpMulticastTtl,
  udpMulticastSetTtl,
} from "./multicast.js";
