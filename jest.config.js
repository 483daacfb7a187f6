/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }],
    // The CEL evaluator of the CRD checks is published as ES modules only.
    '/node_modules/@marcbachmann/cel-js/.+\\.js$': '<rootDir>/test/support/esm-transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
  moduleNameMapper: {
    '^cdk8s-calico$': '<rootDir>/src/index.ts',
    '^cdk8s-calico/testing$': '<rootDir>/src/analysis/matchers.ts',
    '^cdk8s-calico/imports$': '<rootDir>/imports/crd.projectcalico.org.ts',
  },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
