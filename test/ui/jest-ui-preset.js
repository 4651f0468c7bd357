// The browser test compiles like the e2e tests (SWC, ES-module packages transformed); the list
// of those packages is computed in jest.config.js, which a JSON config cannot do itself.
const { projects } = require('../../jest.config.js');

const e2e = projects.find((project) => project.displayName === 'e2e');

module.exports = {
  testEnvironment: e2e.testEnvironment,
  transform: e2e.transform,
  transformIgnorePatterns: e2e.transformIgnorePatterns,
};
