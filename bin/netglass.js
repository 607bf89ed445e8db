#!/usr/bin/env node
// netglass CLI launcher: Node runs the TypeScript sources directly (type stripping, Node >= 22.18).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `netglass needs Node.js 22.18 or newer (it runs its TypeScript sources directly); this is Node ${process.versions.node}.\n` +
      'Install a newer Node, e.g. from https://nodejs.org/ or with your version manager (nvm install 24).\n',
  );
  process.exit(2);
}
// Keep the EPIPE of `netglass reach ... | head` quiet.
process.stdout.on('error', (e) => {
  if (Reflect.get(Object(e), 'code') === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
const { main } = await import('../electron/cli/main.ts');
await main();
