import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, ROOT, cli } from "../helpers/cli.js";
import { type CountingServer, countingServer } from "../helpers/counting-server.js";
import { fetchNodeText } from "../helpers/fetch-node.js";

// `vesper run` end to end against a real local server: a node that denies 127.0.0.1
// cannot reach it by another spelling (exit 3, R201, the server sees nothing); the
// same node without the deny does reach it; `api.*` is refused by validate (exit 2).

const dir = mkdtempSync(join(tmpdir(), "vesper-net-"));
const store = join(dir, "traces.db");

function nodeFile(name: string, security: string): string {
  const file = join(dir, `${name}.vsp`);
  writeFileSync(file, fetchNodeText(name, security));
  return file;
}

/** vesper run, asynchronously: the server in this process must be free to answer. */
function run(file: string, url: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}/bin/vesper.js`, "run", file, "--input", `url=${url}`], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", VEYRA_STORE: store },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

let server: CountingServer;
beforeAll(async () => {
  server = await countingServer();
});
afterAll(() => server.close());

describe("vesper run with loopback denied", () => {
  const denying = () =>
    nodeFile(
      "denying",
      "  capabilities_required: [network.http_client.*]\n  denied_capabilities: [network.http_client.127.0.0.1]",
    );

  it.each(["[::ffff:127.0.0.1]", "0.0.0.0", "[::1]", "2130706433"])(
    "http://%s is refused with R201 (exit 3) and the server sees nothing",
    async (host) => {
      const r = await run(denying(), `http://${host}:${server.port}/secret`);
      expect(r.status).toBe(3);
      expect(r.stderr).toContain("R201: security: step 'fetch' may not call http.request");
      expect(r.stderr).toContain("by 'network.http_client.127.0.0.1' in security.denied_capabilities");
      expect(server.seen).toEqual([]);
    },
  );

  it("the same node without the deny reaches the server (exit 0)", async () => {
    const file = nodeFile("allowing", "  capabilities_required: [network.http_client.*]");
    const r = await run(file, `http://127.0.0.1:${server.port}/secret`);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(server.seen.length).toBeGreaterThan(0);
    server.seen.length = 0;
  });
});

describe("vesper validate on host wildcards", () => {
  it("a grant of network.http_client.api.* is malformed (V500, exit 2), naming what to write", () => {
    const r = cli("vesper", ["validate", nodeFile("trailing", "  capabilities_required: [network.http_client.api.*]")]);
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toContain(
      "V500: malformed capability 'network.http_client.api.*': a host wildcard stands for whole labels to the left of a domain",
    );
  });

  it("a grant of network.http_client.*.example.com is valid", () => {
    const r = cli("vesper", [
      "validate",
      nodeFile("subdomains", "  capabilities_required: [network.http_client.*.example.com]"),
    ]);
    expect(r.status).toBe(0);
  });
});
