// The shape of the generated CRD tables (crd-fields.ts): a field of a CRD schema with the
// constraints the API server checks on its value, a kind, a supported line.

/** A field's JSON type; `int-or-string` takes either, `any` anything. */
export type CrdType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'int-or-string' | 'any';

/** One field of a CRD schema and the constraints the API server checks on its value. */
export interface CrdField {
  readonly type: CrdType;
  /** An object's fields. */
  readonly fields?: { readonly [name: string]: CrdField };
  /** A list's items. */
  readonly items?: CrdField;
  /** A map's values. */
  readonly values?: CrdField;
  readonly enum?: ReadonlyArray<string | number>;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  /** A Go regular expression (`(?i)` at its start for case-insensitive). */
  readonly pattern?: string;
  /** `cidr` or `date-time`. */
  readonly format?: string;
  /** Fields an object must have. */
  readonly required?: readonly string[];
  /** A list whose items must differ (x-kubernetes-list-type: set). */
  readonly unique?: boolean;
  /** What the API server fills in when the field is absent. */
  readonly default?: unknown;
}

/** One kind of a line. */
export interface CrdKind {
  readonly namespaced: boolean;
  /** Whether the CRD requires a spec (in crd.projectcalico.org/v1 form; the v3 types always write one). */
  readonly specRequired?: boolean;
  readonly spec?: CrdField;
  readonly status?: CrdField;
}

/** One supported line: the release its data comes from, and its kinds. */
export interface CrdLine {
  readonly referenceTag: string;
  readonly kinds: { readonly [kind: string]: CrdKind };
}
