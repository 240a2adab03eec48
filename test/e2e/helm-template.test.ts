// `eck-airgap template`: runs the real Helm 3 and Helm 4 over charts-test/ and pipes the output through render.
// Unlike Helm 3's post-render step, it sees every document Helm prints, hooks included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HelmMajor, helmBin, helmOk, makeHelmHome, type HelmHome } from '../support/helm.js';
import { CHARTS, MIRROR, chartPath, isHook } from '../support/helm-charts.js';
import { imagesOf, imagesOfStream, registryOf, splitDocuments } from '../support/helm-output.js';
import { runCli } from '../support/cli.js';

let home: HelmHome;
let elsewhere: string;
beforeAll(() => {
  home = makeHelmHome();
  elsewhere = mkdtempSync(join(tmpdir(), 'eck-airgap-template-'));
});
afterAll(() => {
  home.cleanup();
  rmSync(elsewhere, { recursive: true, force: true });
});

const stack = CHARTS.find((c) => c.name === 'elastic-stack')!;

describe('eck-airgap template --helm <real Helm>', () => {
  for (const major of [3, 4] as HelmMajor[]) {
    it(`prints what helm template | eck-airgap prints, hooks mirrored too (Helm ${major})`, async () => {
      const helmArgs = [stack.release, '-n', stack.namespace];
      const result = await runCli(
        ['template', '--registry', MIRROR, '--helm', helmBin(major), chartPath(stack), '--', ...helmArgs],
        { cwd: elsewhere, env: home.env },
      );
      expect(result.exitCode, result.stderr).toBe(0);
      const plain = await helmOk(major, ['template', stack.release, chartPath(stack), '-n', stack.namespace], { home });
      const piped = await runCli(['--registry', MIRROR, '-q'], { input: plain });
      expect(result.stdout).toBe(piped.stdout);
      const documents = splitDocuments(result.stdout);
      expect(documents.length).toBe(splitDocuments(plain).length);
      const hook = documents.find(isHook)!;
      expect(imagesOf(hook).map((s) => s.image)).toEqual([`${MIRROR}/elasticsearch/elasticsearch:8.17.0`]);
      expect(imagesOfStream(documents).filter((s) => registryOf(s.image) === 'docker.elastic.co')).toEqual([]);
    });
  }

  it('finds Helm through $HELM_BIN and shows a unified diff with --diff', async () => {
    const operator = CHARTS.find((c) => c.name === 'eck-operator-lite')!;
    const result = await runCli(['template', '--registry', MIRROR, '--diff', chartPath(operator), '--', 'op'], {
      cwd: elsewhere,
      env: { ...home.env, HELM_BIN: helmBin(4) },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('-    container-registry: docker.elastic.co');
    expect(result.stdout).toContain(`+    container-registry: ${MIRROR}`);
    expect(result.stdout).toMatch(/^\+.*image: "?my\.registry\/eck\/eck-operator:3\.5\.0/m);
    expect(result.stdout).not.toContain('\u001b['); // no colour when stdout is not a terminal
  });

  it("returns Helm's own message and a non-zero exit, with nothing on stdout, when Helm fails", async () => {
    const missing = join(elsewhere, 'no-such-chart');
    const result = await runCli(['template', '--registry', MIRROR, '--helm', helmBin(3), missing, '--', 'x'], {
      cwd: elsewhere,
      env: home.env,
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no-such-chart');
    expect(result.stderr).not.toMatch(/^\s+at /m); // no stack trace
  });
});
