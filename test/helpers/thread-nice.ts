import { readdirSync, readFileSync } from 'node:fs';

/** Each thread of a process and its nice value (Linux: /proc/<pid>/task/<tid>/stat, field 19). */
export function threadNiceValues(pid: number | 'self' = 'self'): Map<number, number> {
  const nice = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  return new Map(
    readdirSync(`/proc/${pid}/task`).map((tid) => [
      Number(tid),
      nice(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')),
    ]),
  );
}
