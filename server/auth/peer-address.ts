// Next.js hands route handlers and server actions no socket, so the peer's address is put on each request as it arrives.
import { type IncomingMessage, Server } from "node:http";
import { PEER_ADDRESS_HEADER } from "./client-address";

type Holder = { ledgerlinkPeerAddress?: true };
const holder = globalThis as Holder;

/** Marks every request any HTTP server of this process receives with its socket's peer address, once per process. */
export function recordPeerAddresses(): void {
  if (holder.ledgerlinkPeerAddress) return;
  holder.ledgerlinkPeerAddress = true;
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as IncomingMessage;
      request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}
