'use strict';
// The npm registry mirror on our machines lacks some platform-specific optional packages (e.g.
// the darwin and win32 bindings of unrs-resolver, which jest 30 uses). npm then leaves them out
// of package-lock.json, and `npm ci` refuses the lock as "out of sync". This adds a stub entry
// for each missing optional dependency, with its os/cpu, so npm ci skips it on other platforms.
// Run after `npm install` changes the lock: node scripts/stub-missing-optional-deps.js
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const CPUS = ['x64', 'ia32', 'arm64', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x'];
const OSES = ['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32', 'sunos', 'netbsd', 'openbsd', 'aix'];

const guess = (name, list) => list.find((item) => new RegExp(`(^|[-/])${item}([-]|$)`).test(name));
const added = [];
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const depKey = `node_modules/${dep}`;
    const os = guess(dep, OSES);
    const cpu = guess(dep, CPUS);
    if (lock.packages[depKey] || !os || !cpu) {
      continue;
    }
    lock.packages[depKey] = { version, dev: entry.dev, license: entry.license, optional: true, os: [os], cpu: [cpu] };
    added.push(dep);
  }
  void key;
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
lock.packages = sorted;
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`stubbed ${added.length} missing optional dependencies${added.length ? `: ${added.join(', ')}` : ''}`);
