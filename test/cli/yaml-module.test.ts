// The command line reads YAML with the copy of the `yaml` package that cdk8s bundles: pin that it is
// there, of the major version the reader is written for, with the parts the reader uses.
import { YAML_MODULE } from '../../src/cli/yaml-module';

test('the yaml package cdk8s bundles is 2.x and has the streaming parser the reader uses', () => {
  const pkg = require(require.resolve('yaml/package.json', { paths: [require.resolve('cdk8s')] }));
  expect(pkg.version).toMatch(/^2\./);
  for (const name of ['Composer', 'Lexer', 'LineCounter', 'Parser', 'isMap', 'isPair', 'isScalar', 'isSeq'] as const) {
    expect(typeof YAML_MODULE[name]).toBe('function');
  }
  expect(typeof YAML_MODULE.CST.resolveAsScalar).toBe('function');
});

test('the package does not bundle a yaml of its own', () => {
  const manifest = require('../../package.json');
  expect(manifest.bundleDependencies).not.toContain('yaml');
  expect(Object.keys(manifest.dependencies ?? {})).not.toContain('yaml');
});
