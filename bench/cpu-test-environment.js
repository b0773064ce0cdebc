'use strict';
/**
 * A jest test environment that records the CPU time of each test file (bench:suite passes it
 * with `--testEnvironment`, which jest applies to every project). Jest runs one file at a time
 * in each worker process, from the environment's construction (before the test file is
 * transformed and loaded) to its teardown, so the worker's own CPU between the two is that
 * file's, whatever runs on the other workers. Child processes the file spawns and waits for
 * (npm, tsx, the CLI, a copied-out service's jest) are added from /proc/self/stat (cutime and
 * cstime count every waited-for descendant), which `process.cpuUsage()` leaves out.
 *
 * Plain JavaScript and resolved from the working directory: the same file measures the suite of
 * another commit checked out elsewhere, with that commit's own jest.
 */
const { appendFileSync, readFileSync } = require('fs');
const NodeEnvironment = require(require.resolve('jest-environment-node', { paths: [process.cwd()] })).TestEnvironment;

const OUT = process.env.FLEET_SUITE_CPU_FILE;
// Linux's USER_HZ, the unit of /proc/<pid>/stat times (proc(5)).
const CLOCK_TICKS = 100;

/** CPU seconds of this process (user, system) and of its waited-for children (user + system). */
function cpuNow() {
  const own = process.cpuUsage();
  let children = 0;
  try {
    // After "pid (comm) ", field 3 (state) is index 0; cutime and cstime are fields 16 and 17.
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    children = (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  } catch {
    // No /proc (not Linux): children are not counted.
  }
  return { user: own.user / 1e6, system: own.system / 1e6, children };
}

class CpuTestEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    this.cpuTestPath = context.testPath;
    this.cpuStart = cpuNow();
  }

  async teardown() {
    await super.teardown();
    if (!OUT) return;
    const end = cpuNow();
    const line = {
      suite: this.cpuTestPath,
      pid: process.pid,
      userS: end.user - this.cpuStart.user,
      systemS: end.system - this.cpuStart.system,
      childrenS: end.children - this.cpuStart.children,
    };
    // One short line per write with O_APPEND: lines of concurrent workers never interleave.
    appendFileSync(OUT, `${JSON.stringify(line)}\n`);
  }
}

module.exports = CpuTestEnvironment;
