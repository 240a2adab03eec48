// `npm run test:unit`: the in-process tests (pure modules, no CLI process, no Helm, no registry), the fast inner
// loop; `npm test` runs these and every other suite (vitest.config.ts). A test file that runs the CLI, Helm, a
// registry or the release does not belong in this list.
import { defineConfig } from 'vitest/config';

export const unitTests = [
  'test/analysis/*.unit.test.ts',
  'test/argocd/generate.test.ts',
  'test/argocd/parameters.test.ts',
  'test/config/load-settings.test.ts',
  'test/config/rules.test.ts',
  'test/eck/*.test.ts',
  'test/image/*.test.ts',
  'test/mirror/*.unit.test.ts',
  'test/operator/operator-config.test.ts',
  'test/operator/operator-model.test.ts',
  'test/registry/*.unit.test.ts',
  'test/robustness/anchor-edits.test.ts',
  'test/robustness/eck-yaml-styles.test.ts',
  'test/robustness/kind-spellings.test.ts',
  'test/robustness/property.test.ts',
  'test/robustness/resource-nonsense.test.ts',
  'test/robustness/yaml-features.test.ts',
  'test/stream/*.test.ts',
  'test/yaml/*.test.ts',
];

export default defineConfig({
  test: {
    include: unitTests,
    testTimeout: 30_000,
    pool: 'threads',
  },
});
