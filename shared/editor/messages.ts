/**
 * The manifest loader ends an error with what it left out ("…; NetworkPolicy shop/web was not
 * loaded"): right in a file of many objects, noise under a form field or a line of the draft's YAML,
 * where the one object is the draft itself. The editor shows the message without that tail.
 */
const LOAD_TAIL = /;\s[^;]*\bwas not loaded$/;

export function withoutLoadTail(message: string): string {
  return message.replace(LOAD_TAIL, '');
}
