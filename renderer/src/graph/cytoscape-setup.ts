// The test tsconfig compiles this file without the renderer's ambient declarations.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../cytoscape-fcose.d.ts" />
/**
 * One-time cytoscape setup. Registers fcose, and pre-empts the `<style>` element cytoscape injects
 * into <head> on first use (its rule, `.__________cytoscape_container { position: relative }`, lives in
 * styles/app.css instead): a strict CSP (`style-src 'self'`) refuses inline <style>, and cytoscape
 * skips the injection when an element with its id already exists.
 */
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';

const CYTOSCAPE_STYLESHEET_ID = '__________cytoscape_stylesheet';
let registered = false;

export function setupCytoscape(
  doc: Document | undefined = typeof document === 'undefined' ? undefined : document,
): void {
  if (!registered) {
    cytoscape.use(fcose);
    registered = true;
  }
  if (doc !== undefined && doc.getElementById(CYTOSCAPE_STYLESHEET_ID) === null) {
    const marker = doc.createElement('meta');
    marker.id = CYTOSCAPE_STYLESHEET_ID;
    marker.setAttribute('name', 'cytoscape-stylesheet');
    marker.setAttribute('content', 'provided by the app stylesheet');
    doc.head.appendChild(marker);
  }
}
