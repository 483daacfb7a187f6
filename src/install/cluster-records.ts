import { CalicoStage } from './stages';

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

/**
 * One stage of the output and the exact commands that apply it (the architecture report lists them).
 */
export interface ApplyStep {
  /** The stage. */
  readonly stage: CalicoStage;
  /** The stage's file (or folder) in the output directory, e.g. `0000-calico-crds.k8s.yaml`. */
  readonly path: string;
  /** What the stage holds. */
  readonly description: string;
  /** The command that applies it, run in the output directory. */
  readonly command: string;
  /**
   * What to wait for before the next stage, when the next stage needs it up (CRDs established, the API served).
   * @default - nothing to wait for: the next stage can follow at once
   */
  readonly waitCommand?: string;
}
