// mirror and verify with `--registry HOST:PORT/PATH` (a registry project): copies land under the path, verify asks
// for them there. Real docker-registry and skopeo on 127.0.0.1 (test/support/registry.ts), or reported NOT RUN.
// The operator names images `<container registry>/<path>` (v3.5.0 pkg/controller/common/container/container.go).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  missingTools,
  pushImage,
  registriesConf,
  removeTempDirs,
  remoteDigest,
  startRegistry,
  toolsPresent,
  warnNotRun,
  writeOciImage,
  type Registry,
} from '../support/registry.js';
import { runCli } from '../support/cli.js';

const KIBANA = `apiVersion: kibana.k8s.elastic.co/v1
kind: Kibana
metadata: {name: kb, namespace: ns}
spec:
  version: 8.16.1
`;

describe('mirror and verify under a registry path: the tools are here, or the suite says it did not run', () => {
  it('docker-registry and skopeo are present, or this suite is reported as NOT RUN', () => {
    warnNotRun('test/plan/registry-path-mirror.test.ts');
    expect(toolsPresent).toBe(missingTools.length === 0);
  });
});

describe.skipIf(!toolsPresent)('mirror and verify under a registry path', () => {
  let source: Registry;
  let mirror: Registry;
  let conf: string;
  const kibana = writeOciImage('kibana 8.16.1 for a path');

  beforeAll(async () => {
    [source, mirror] = await Promise.all([startRegistry(), startRegistry()]);
    await pushImage(kibana, source, 'kibana/kibana', '8.16.1');
    conf = registriesConf(source);
  });

  afterAll(async () => {
    await Promise.all([source?.stop(), mirror?.stop()]);
    removeTempDirs();
  });

  it('copies to <host:port>/<path>/kibana/kibana and verify finds it there; an empty project is missing', async () => {
    const registry = `${mirror.host}/project/eck`;
    const copied = await runCli(
      ['mirror', '--registry', registry, '--registries-conf', conf, '--dest-tls-verify=false', '-'],
      { input: KIBANA },
    );
    expect(copied.exitCode, copied.stderr).toBe(0);
    expect(copied.stderr).toContain(`-> ${registry}/kibana/kibana:8.16.1`);
    expect(await remoteDigest(`${registry}/kibana/kibana:8.16.1`)).toBe(kibana.digest);
    const verified = await runCli(['verify', '--registry', registry, '--plain-http', '-'], { input: KIBANA });
    expect(verified.exitCode, verified.stderr + verified.stdout).toBe(0);
    const elsewhere = await runCli(['verify', '--registry', `${mirror.host}/other`, '--plain-http', '-'], {
      input: KIBANA,
    });
    expect(elsewhere.exitCode).toBe(1);
    expect(elsewhere.stdout + elsewhere.stderr).toContain(`${mirror.host}/other/kibana/kibana:8.16.1`);
  });
});
