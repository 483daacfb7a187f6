/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }],
  },
  moduleNameMapper: {
    '^cdk8s-calico$': '<rootDir>/src/index.ts',
    '^cdk8s-calico/testing$': '<rootDir>/src/analysis/matchers.ts',
    '^cdk8s-calico/imports$': '<rootDir>/imports/crd.projectcalico.org.ts',
  },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
