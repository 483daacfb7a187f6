// Profiles the library path of one scenario (a diagnosis, not part of `npm run bench`):
//   npm run build && node --cpu-prof --cpu-prof-dir=/tmp/cdk8s-calico-profiles --require tsx/cjs bench/profile.ts [scale] [runs]
// then open the .cpuprofile in Chrome DevTools (Performance) or VS Code.
import { App } from 'cdk8s';
import { buildLarge } from './scenarios';

const scale = Number(process.argv[2] ?? 1);
const runs = Number(process.argv[3] ?? 4);
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const app = new App();
  buildLarge(app, scale);
  const t1 = performance.now();
  app.synthYaml();
  console.log(`run ${i}: build ${(t1 - t0).toFixed(0)} ms, synth ${(performance.now() - t1).toFixed(0)} ms`);
}
