import { kernelProperties } from "../helpers/engine-kernels.js";

// The last-resort backend. A file of its own: TensorFlow.js has one active backend per process.
kernelProperties("cpu");
