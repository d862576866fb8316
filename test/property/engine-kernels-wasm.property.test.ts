import { kernelProperties } from "../helpers/engine-kernels.js";

// The default backend here: wasm (on every core through the threaded build).
kernelProperties("wasm");
