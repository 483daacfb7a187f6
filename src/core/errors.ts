import { IConstruct } from 'constructs';

/**
 * One problem found in a Calico resource.
 *
 * `path` names the offending field the way calicoctl users read it, for example
 * `spec.ingress[0].destination.ports[1]`; `message` says what is wrong, quotes the bad
 * value and gives the fix.
 */
export interface ValidationIssue {
  /** Dotted path of the offending field, starting at the manifest root (`metadata.name`, `spec.cidr`). */
  readonly path: string;
  /** What is wrong, the bad value, and how to fix it. */
  readonly message: string;
}

const ERROR_SYMBOL = Symbol.for('cdk8s-calico.CalicoValidationError');

/**
 * The one error class the library throws for bad input.
 *
 * It records the construct path (where the bad value arrived) and, when the error comes from
 * the resource validator, every issue found. Not part of the jsii API (jsii cannot export
 * subclasses of `Error`); use `CalicoErrors.isValidationError()` from other languages.
 */
export class CalicoValidationError extends Error {
  /** Construct path of the construct that received the bad value, or '' outside a construct tree. */
  public readonly constructPath: string;
  /** Every issue found, when the error comes from resource validation. */
  public readonly issues: ValidationIssue[];

  /**
   * @param message what is wrong, the bad value (a short prefix of it) and the fix
   * @param scope the construct that received the bad value, or its path when the construct does
   * not exist yet (a constructor checking its props before `super`); omit outside a construct tree
   * @param issues every issue, when the error comes from resource validation
   */
  constructor(message: string, scope?: IConstruct | string, issues: ValidationIssue[] = []) {
    const constructPath = typeof scope === 'string' ? scope : scope ? scope.node.path : '';
    super(constructPath ? `[${constructPath}] ${message}` : message);
    this.name = 'CalicoValidationError';
    this.constructPath = constructPath;
    this.issues = issues;
    Object.defineProperty(this, ERROR_SYMBOL, { value: true });
  }
}

/**
 * Helpers to recognise the library's errors from any jsii language.
 */
export class CalicoErrors {
  /**
   * Whether `x` is an error thrown by cdk8s-calico because of bad input.
   * @param x any value, typically a caught exception
   */
  public static isValidationError(x: any): boolean {
    return x !== null && typeof x === 'object' && (x as any)[ERROR_SYMBOL] === true;
  }

  /**
   * The construct path recorded in an error thrown by cdk8s-calico, or `undefined` for other values.
   * @param x any value, typically a caught exception
   */
  public static constructPathOf(x: any): string | undefined {
    return CalicoErrors.isValidationError(x) ? (x as CalicoValidationError).constructPath : undefined;
  }

  private constructor() {}
}

/**
 * Throws a CalicoValidationError for `scope` that lists `issues`, prefixed by the resource description.
 */
export function throwIssues(scope: IConstruct | string | undefined, resource: string, issues: ValidationIssue[]): never {
  const lines = issues.map(i => `${resource}: ${i.path}: ${i.message}`);
  throw new CalicoValidationError(lines.join('\n'), scope, issues);
}

/**
 * Adds a whole-tree check to `scope`, run at synthesis: when it finds problems it throws one
 * CalicoValidationError for `scope` listing them (never cdk8s's plain "Validation failed" Error,
 * so `CalicoErrors.isValidationError` recognises every synth-time failure of the library).
 * @param scope the construct the problems are about
 * @param check returns the problems, each a complete sentence with the fix; empty when sound
 */
export function addCalicoValidation(scope: IConstruct, check: () => readonly string[]): void {
  scope.node.addValidation({
    validate: () => {
      const problems = check();
      if (problems.length > 0) throw new CalicoValidationError(problems.join('\n'), scope);
      return [];
    },
  });
}

/**
 * Runs `build` for `scope`: a CalicoValidationError it throws without a construct path (a value
 * object such as a Selector or a Port, built from the construct's props) is thrown again with the
 * construct's path, so every error a construct raises names where the bad value arrived. Other
 * errors pass through unchanged; nothing is swallowed.
 * @param scope the construct (or its path, before `super`) that passes the values on
 * @param build the code that builds value objects from the props
 */
export function withConstructPath<T>(scope: IConstruct | string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (CalicoErrors.isValidationError(e) && (e as CalicoValidationError).constructPath === '') {
      const err = e as CalicoValidationError;
      throw new CalicoValidationError(err.message, scope, err.issues);
    }
    throw e;
  }
}

/**
 * The path a construct will have once created under `scope` with `id`: for errors raised before
 * `super` (a constructor checking or building from its props first).
 */
export function childPath(scope: IConstruct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}
