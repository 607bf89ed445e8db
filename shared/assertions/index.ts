/** Connectivity assertions for CI (`netglass test`): parse a file, check it against a snapshot. */
export { checkAssertions, rangeProbes, type CheckOptions } from './check.ts';
export { endpointText, ENDPOINT_SYNTAX, parseAssertions, PORT_SYNTAX, portText } from './parse.ts';
export type * from './types.ts';
