// PLACEHOLDER: replaced by the validation helper.
import { IssueCollector } from './issues';
/** Validates metadata.name, namespace, labels and annotations of any Calico manifest. */
export function validateMetadata(_m: Record<string, any>, _c: IssueCollector): void {}
