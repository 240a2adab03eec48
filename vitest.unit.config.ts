// `npm run test:unit`: the in-process tests (pure modules, no CLI process, no Helm, no registry), the fast inner
// loop; `npm test` runs these and every other suite (vitest.config.ts). A test file that runs the CLI, Helm, a
// registry or the release does not belong in this list (test/structure/cli-runner.test.ts checks the imports).
import { defineConfig } from 'vitest/config';

export const unitTests = [
  'test/analysis/*.unit.test.ts',
  'test/argocd/generate.test.ts',
  'test/argocd/parameters.test.ts',
  'test/config/load-settings.test.ts',
  'test/config/rules.test.ts',
  'test/eck/*.test.ts',
  'test/image/*.test.ts',
  'test/images-output/*.unit.test.ts',
  'test/io/*.unit.test.ts',
  'test/lock/*.unit.test.ts',
  'test/mirror/*.unit.test.ts',
  'test/operator/operator-config.test.ts',
  'test/operator/operator-model.test.ts',
  'test/plan/resource-sites.test.ts',
  'test/plan/setting-sites.test.ts',
  'test/registry/*.unit.test.ts',
  'test/stream/*.test.ts',
  'test/text/*.test.ts',
  'test/yaml/*.test.ts',
];

export default defineConfig({
  test: {
    include: unitTests,
    testTimeout: 30_000,
    pool: 'threads',
  },
});
