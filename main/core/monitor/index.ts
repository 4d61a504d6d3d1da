export * from './processTable.js';
export { createSampler, machineSample } from './sampler.js';
export type { Sampler, SamplerOptions, SampleRoot, TreeSample, ProcessSample, PidUsage, MachineReading, CpuTimes } from './sampler.js';
export { SeriesRing, downsample } from './ringBuffer.js';
export { createStuckDetector } from './stuck.js';
export type { StuckDetector, StuckInput } from './stuck.js';
