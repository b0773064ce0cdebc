import { readFileSync } from 'fs';

// Linux's USER_HZ, the unit of the times in /proc/<pid>/stat (proc(5)).
const CLOCK_TICKS = 100;

/**
 * CPU seconds (user + system) of the children this process has waited for, and of their own
 * waited-for descendants: cutime + cstime of /proc/self/stat. The difference across a
 * `spawnSync` is the CPU of that command and of every process it ran (jest workers included).
 */
export function childrenCpu(): number {
  // After "pid (comm) ", field 3 (state) is index 0; cutime and cstime are fields 16 and 17 (1-based in proc(5)).
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}
