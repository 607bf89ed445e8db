/**
 * The analysis worker: runs the shared evaluator off the UI thread. Requests are answered in order,
 * so an answer always reflects the last `load` before it.
 */
import { createAnalysisEngine } from './engine.ts';
import type { AnalysisRequest } from './protocol.ts';
import { createWhatIfHandler } from './whatif.ts';

const engine = createAnalysisEngine();
const whatIf = createWhatIfHandler();

self.addEventListener('message', (event: MessageEvent<AnalysisRequest>) => {
  self.postMessage(whatIf.handle(event.data) ?? engine.handle(event.data));
});
