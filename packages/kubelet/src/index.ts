export { startKubelet } from './kubelet.js';
export { SimRuntime, type SimRuntimeOptions } from './sim/sim-runtime.js';
export { SIM_PREFIX } from './sim/annotations.js';
export { nodeAddress, podCIDR } from './addresses.js';
export type { Kubelet, KubeletOptions, Runtime, RuntimeContainer, RuntimeContainerState, StartContainerOptions } from './types.js';
export { ContainerStartError, type ContainerLogOptions } from './types.js';
export { ProcessRuntime, type ProcessRuntimeOptions, type ContainerLimiter } from './process/runtime.js';
export { cgroupLimiter, cgroupsAvailable } from './process/cgroups.js';
