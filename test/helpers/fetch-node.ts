// A node that fetches the URL it is given through http.request and returns the
// status, with the security section a test chooses: the subject of the network-rule
// tests (the unit table runs it on every runtime, the CLI test through bin/).

export function fetchNodeText(name: string, security: string): string {
  return `node_id: net.${name}@1.0.0
type: handler
inputs:
  url: string
outputs:
  success:
    status: integer
  error:
    code: enum[DOWN]
    message: string
flow:
  - step: fetch
    op: call
    tool: http.request
    args:
      url: "url"
    bind: response
    returns:
      status: integer
  - step: done
    op: return
    output: success
    values:
      status: "response.status"
security:
${security}
`;
}
