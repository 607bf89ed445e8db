/** File-system errors in words a user acts on, without Node's syscall details (`ENOENT: ..., open '...'`). */

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'exists and is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

export function fsErrorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const known = code !== undefined ? WORDS[code] : undefined;
  if (known !== undefined) return known;
  return e instanceof Error ? e.message : String(e);
}
