/** The CLI run in process, as the CLI tests call it: exit code, standard output, standard error. */
import { memoryIO } from '../../../electron/cli/io.ts';
import { runCli } from '../../../electron/cli/main.ts';

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO();
  const code = await runCli(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}
