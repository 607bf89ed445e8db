// test/cluster/down [--dir DIR]: stop the control plane started by test/cluster/up
// and delete its run folder contents.
import { attachControlPlane, defaultRunDir } from './control-plane.ts';
import { parseDirArg } from './cli.ts';

const dir = parseDirArg('down', process.argv.slice(2)) ?? defaultRunDir();
const cp = attachControlPlane(dir);
if (!cp) {
  process.stderr.write(`netglass: no control plane recorded in ${dir}; nothing to stop\n`);
} else {
  await cp.stop();
  process.stderr.write(`netglass: stopped the control plane in ${cp.dir}\n`);
}
