// Preloaded (node --require) into a generation run to simulate a crash: counts every write,
// rename and delete that touches FLEET_CRASH_DIR and kills the process with SIGKILL at the
// FLEET_KILL_AT_WRITE-th one (a write is cut in half first, as a power cut or OOM kill would).
// With FLEET_COUNT_WRITES=<file> it only counts, and writes to <file> at exit every step as
// { op, file } (file relative to FLEET_CRASH_DIR), so a test can aim at the writes that matter.
'use strict';
const fs = require('fs');
const path = require('path');

const dir = path.resolve(process.env.FLEET_CRASH_DIR || '.');
const killAt = Number(process.env.FLEET_KILL_AT_WRITE || 0);
const countTo = process.env.FLEET_COUNT_WRITES;
const original = {};
const fds = new Map();
const steps = [];
let count = 0;

const inside = (p) => typeof p === 'string' && (path.resolve(p) === dir || path.resolve(p).startsWith(dir + path.sep));

function step(op, file, partial) {
  count++;
  if (countTo) steps.push({ op, file: path.relative(dir, path.resolve(String(file))) });
  if (count === killAt) {
    if (partial) partial();
    process.kill(process.pid, 'SIGKILL');
  }
}

const pathOps = ['writeFileSync', 'renameSync', 'linkSync', 'unlinkSync', 'rmSync', 'mkdirSync', 'chmodSync', 'rmdirSync', 'copyFileSync', 'symlinkSync', 'appendFileSync'];
for (const name of pathOps) {
  original[name] = fs[name];
  fs[name] = function (...args) {
    if (!inside(args[0]) && !inside(args[1])) return original[name].apply(this, args);
    if (name === 'writeFileSync') {
      step(name, args[0], () => {
        const data = Buffer.from(typeof args[1] === 'string' ? args[1] : args[1]);
        original.writeFileSync(args[0], data.subarray(0, Math.floor(data.length / 2)));
      });
    } else {
      step(name, inside(args[0]) ? args[0] : args[1]);
    }
    return original[name].apply(this, args);
  };
}

original.openSync = fs.openSync;
fs.openSync = function (file, flags, ...rest) {
  const writes = typeof flags === 'string' ? /[wax+]/.test(flags) : typeof flags === 'number' && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) !== 0;
  if (writes && inside(file)) step('openSync', file);
  const fd = original.openSync.call(this, file, flags, ...rest);
  if (writes && inside(file)) fds.set(fd, file);
  return fd;
};
original.closeSync = fs.closeSync;
fs.closeSync = function (fd) {
  fds.delete(fd);
  return original.closeSync.call(this, fd);
};
original.writeSync = fs.writeSync;
fs.writeSync = function (fd, buffer, ...rest) {
  if (fds.has(fd)) {
    step('writeSync', fds.get(fd), () => {
      const data = typeof buffer === 'string' ? Buffer.from(buffer) : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      const offset = typeof rest[0] === 'number' ? rest[0] : 0;
      const length = typeof rest[1] === 'number' ? rest[1] : data.length - offset;
      original.writeSync.call(fs, fd, data, offset, Math.floor(length / 2));
    });
  }
  return original.writeSync.call(this, fd, buffer, ...rest);
};
original.fchmodSync = fs.fchmodSync;
fs.fchmodSync = function (fd, mode) {
  if (fds.has(fd)) step('fchmodSync', fds.get(fd));
  return original.fchmodSync.call(this, fd, mode);
};

if (countTo) process.on('exit', () => original.writeFileSync(countTo, JSON.stringify(steps)));
