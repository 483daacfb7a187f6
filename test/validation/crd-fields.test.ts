// The kinds and fields of each supported line are generated from its CRDs; this fails when
// src/validation/private/crd-fields.ts is not what the generator writes today (npm run gen:crd-fields).
import * as fs from 'fs';
import { CRD_FIELDS_FILE, generateCrdFields } from '../support/generate-crd-fields';

test('src/validation/private/crd-fields.ts is what the generator writes from the reference CRDs (npm run gen:crd-fields)', () => {
  expect(fs.readFileSync(CRD_FIELDS_FILE, 'utf8')).toBe(generateCrdFields());
}, 60_000);
