#!/usr/bin/env node
// Completes package-lock.json with the platform-specific optional packages (native bindings for
// other operating systems and CPUs) that the registry mirror used here does not serve. npm omits
// them from the lock when it cannot read their manifests, and `npm ci` then refuses the lock as
// out of sync. Each is recorded with its os/cpu (and libc) so npm skips it on this platform.
// Run after any `npm install` that changes package-lock.json.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const OS = [
  'darwin',
  'linux',
  'win32',
  'android',
  'freebsd',
  'openharmony',
  'sunos',
  'netbsd',
  'openbsd',
];
const CPU = {
  arm64: 'arm64',
  x64: 'x64',
  ia32: 'ia32',
  arm: 'arm',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  wasm32: 'wasm32',
  universal: undefined,
};

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = OS.find((candidate) => parts.includes(candidate));
  const cpuPart = parts.find((part) => part in CPU);
  if (!os || !cpuPart) {
    return undefined;
  }
  const entry = { os: [os] };
  if (CPU[cpuPart]) {
    entry.cpu = [CPU[cpuPart]];
  }
  if (os === 'linux') {
    entry.libc = [parts.some((part) => part.startsWith('musl')) ? 'musl' : 'glibc'];
  }
  return entry;
}

const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;
const added = [];
for (const [path, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) {
      continue;
    }
    const platform = platformOf(name);
    if (!platform) {
      console.error(
        `complete-lockfile: ${name} is missing from the lock and is not a platform binding`,
      );
      process.exitCode = 1;
      continue;
    }
    packages[`node_modules/${name}`] = {
      version: version.replace(/^[\^~=]/, ''),
      ...(meta.dev ? { dev: true } : {}),
      ...(meta.devOptional ? { devOptional: true } : {}),
      optional: true,
      ...platform,
    };
    added.push(name);
  }
}
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added.length} platform package(s)`);
