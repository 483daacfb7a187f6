export * from './api-group';
export { CalicoErrors, ValidationIssue } from './errors';
export * from './resource';
export * from './selector';
export { validateManifest } from './validate';
