// The YAML reader of the command line. cdk8s, a peer dependency, ships the `yaml` package inside
// itself (a bundled dependency, 2.x throughout cdk8s 2); the command line reads manifests with that
// copy, so this package does not carry a second one (it was a fifth of the published package).
// test/cli/yaml-module.test.ts pins what the reader needs of it.
import { createRequire } from 'module';
import type * as Yaml from 'yaml';

/** The `yaml` package (2.x) cdk8s bundles. */
export const YAML_MODULE: typeof Yaml = createRequire(require.resolve('cdk8s'))('yaml') as typeof Yaml;
