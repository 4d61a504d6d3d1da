export { JobRegistry, type LiveJob } from './registry.js';
export { createJobView, type JobView } from './view.js';
