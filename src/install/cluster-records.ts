/**
 * A recommendation of the reference architecture that the configuration does not follow.
 */
export interface Advisory {
  /** Short identifier, stable across versions (e.g. `typha-replicas`). */
  readonly code: string;
  /** What is off, and what to do about it. */
  readonly message: string;
}

/**
 * Something the user must apply separately from the synthesized manifests.
 */
export interface ManualStep {
  /** What it is for. */
  readonly description: string;
  /** The exact command to run. */
  readonly command: string;
}

/**
 * One choice the library made, with its reason.
 */
export interface Decision {
  /** What was decided, e.g. `routing`, `mtu`, `typha-replicas`. */
  readonly topic: string;
  /** The value chosen. */
  readonly choice: string;
  /** Why. */
  readonly reason: string;
}
