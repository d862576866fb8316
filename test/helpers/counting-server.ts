import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// A real local HTTP server that counts the requests reaching it: the witness for
// "nothing was called". It listens on every local address (:: dual-stack, which
// also takes 127.0.0.0/8 and 0.0.0.0), or on 0.0.0.0 where the host has no IPv6.

export interface CountingServer {
  port: number;
  /** Whether [::1] reaches it (false on hosts without IPv6). */
  ipv6: boolean;
  /** The request lines it has seen, in order. */
  seen: string[];
  close(): Promise<void>;
}

function listen(server: Server, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const fail = () => resolve(false);
    server.once("error", fail);
    server.listen({ port: 0, host, ipv6Only: false }, () => {
      server.off("error", fail);
      resolve(true);
    });
  });
}

export async function countingServer(): Promise<CountingServer> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.headers.host}${req.url}`);
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"secret": "local"}');
  });
  const ipv6 = await listen(server, "::");
  if (!ipv6 && !(await listen(server, "0.0.0.0"))) throw new Error("cannot listen on a local port");
  return {
    port: (server.address() as AddressInfo).port,
    ipv6,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
