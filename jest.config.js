// SWC compiles the TypeScript and, because NestJS 12 ships ES modules only, the @nestjs
// packages too: Jest's module loader cannot require() ES modules on Node 20.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/** Every installed package that ships ES modules ("type": "module"), found when Jest starts. */
function esmPackages() {
  const root = join(__dirname, 'node_modules');
  const names = readdirSync(root).flatMap((entry) =>
    entry.startsWith('@')
      ? readdirSync(join(root, entry)).map((child) => `${entry}/${child}`)
      : [entry],
  );
  return names.filter((name) => {
    try {
      return JSON.parse(readFileSync(join(root, name, 'package.json'), 'utf8')).type === 'module';
    } catch {
      return false;
    }
  });
}
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
// CommonJS packages that load an ES module with import(), which Jest's CommonJS runtime cannot
// do without --experimental-vm-modules: compiled too, so the import() becomes a require().
const dynamicImporters = ['@fastify/cookie'];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [
    `/node_modules/(?!(${[...esmPackages(), ...dynamicImporters].map(escape).join('|')})/)`,
  ],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Redis-store tests need a Redis server (REDIS_URL); the multi-instance test runs two app
      // processes on one PostgreSQL and Redis. Both run in `npm run test:pg` (.ci/run). The SQLite
      // file-mode test runs in `npm test` only.
      testPathIgnorePatterns: [
        ...(process.env.REDIS_URL ? [] : ['/test/redis-limits\\.e2e-spec\\.ts$']),
        ...(process.env.TEST_PG === '1'
          ? ['/test/sqlite-files\\.e2e-spec\\.ts$']
          : ['/test/multi-instance\\.e2e-spec\\.ts$']),
      ],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  // Top level: Jest 30 reads `testTimeout` from the global config only and silently ignores it
  // inside a project (jestjs/jest#9696), where it used to sit, leaving the 5 s default. 30 s per
  // test and hook holds on a busy CI machine: a test that starts an app or runs a fuzz property
  // takes up to ~3 s on an idle 2-core machine.
  testTimeout: 30_000,
};
