// The runtime type descriptions are generated from the public API; this fails when a prop,
// parameter, struct or enum value changed without `npm run gen:shapes`, so nothing public can
// miss its runtime check.
import * as fs from 'fs';
import { API_SHAPES_FILE, generateApiShapes } from '../support/generate-api-shapes';

test('src/core/private/api-shapes.ts is what the generator writes from src/index.ts today (npm run gen:shapes)', () => {
  expect(fs.readFileSync(API_SHAPES_FILE, 'utf8')).toBe(generateApiShapes());
}, 60_000);
