import { httpRequest } from "./http.js";
import { ToolRegistry } from "./registry.js";
import { SIMULATED_TOOLS } from "./simulated.js";

export {
  ToolRegistry,
  isTransient,
  type Admission,
  type ToolErrorCode,
  type ToolIO,
  type ToolReply,
  type ToolSpec,
} from "./registry.js";
export { capabilityProblem, matchesCapability, type Grants } from "./capabilities.js";
export { parseHost, type AddressClass, type Host } from "./address.js";
export { systemLookup, type HostLookup } from "./resolved-denies.js";
export { newWorld, table, type ServiceBehaviour, type SimWorld } from "./sim-world.js";

/** Every tool Vesper ships: http.request and the simulated services. */
export function defaultTools(): ToolRegistry {
  return new ToolRegistry([httpRequest, ...SIMULATED_TOOLS]);
}
