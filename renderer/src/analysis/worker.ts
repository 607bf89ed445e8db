/**
 * The analysis worker: runs the shared evaluator off the UI thread. Requests are answered in order,
 * so an answer always reflects the last `load` or `update` before it.
 */
import type { AnalysisRequest } from './protocol.ts';
import { createAnalysisHandler } from './whatif.ts';

const handle = createAnalysisHandler();

self.addEventListener('message', (event: MessageEvent<AnalysisRequest>) => {
  self.postMessage(handle(event.data));
});
