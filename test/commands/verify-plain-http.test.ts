// verify and verify --lock against a mirror that speaks plain HTTP, asked over HTTPS (no --plain-http): the
// registry's (here Node's OpenSSL's) words reach stderr escaped, one line per image and one paragraph for the
// cause with its fix — never a raw line break that splits a paragraph in two. A real docker-registry on 127.0.0.1.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startRegistry, tempDir, tools, type Registry } from '../support/registry.js';

const STACK = `apiVersion: kibana.k8s.elastic.co/v1
kind: Kibana
metadata: {name: kb, namespace: ns}
spec:
  version: 8.16.1
---
apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata: {name: es, namespace: ns}
spec:
  version: 8.16.1
  nodeSets: [{name: a, count: 1}]
`;

/** Every stderr line is one of eck-airgap's: a paragraph's start, or its indented continuation. */
function expectWholeParagraphs(stderr: string): void {
  const lines = stderr.replace(/\n$/, '').split('\n');
  for (const line of lines) expect(line, stderr).toMatch(/^(eck-airgap: | {2})/);
}

describe.skipIf(!tools.registry)(
  'verify against a plain-HTTP mirror without --plain-http (needs docker-registry)',
  () => {
    let registry: Registry;
    beforeAll(async () => {
      registry = await startRegistry();
    });
    afterAll(async () => {
      await registry?.stop();
    });

    it('verify --lock: each image on one line, the cause once with --plain-http', async () => {
      const dir = tempDir('verify-lock-http');
      const lock = join(dir, 'images.lock.yaml');
      writeFileSync(
        lock,
        [
          'apiVersion: eck-airgap/v1',
          'kind: ImagesLock',
          'images:',
          `  - image: "${registry.host}/kibana/kibana:8.16.1"`,
          '    source: docker.elastic.co/kibana/kibana:8.16.1',
          `    digest: "sha256:${'a'.repeat(64)}"`,
          '    platforms: []',
          '',
        ].join('\n'),
      );
      const r = await runCli(['verify', '--registry', registry.host, '--lock', lock]);
      expect(r.exitCode).toBe(1);
      expectWholeParagraphs(r.stderr);
      expect(r.stderr).toContain(`eck-airgap: ${registry.host}/kibana/kibana:8.16.1: unreachable: `);
      expect(r.stderr).toContain(`${registry.host} speaks plain HTTP, not HTTPS`);
      expect(r.stderr).toContain('  What to try: a plain-HTTP registry needs --plain-http.');
      expect(r.stderr).toContain(`1 of 1 locked image not as the lock ${lock} says.`);
    });

    it("verify: the same, for every image, with OpenSSL's reason and not its build paths", async () => {
      const r = await runCli(['verify', '--registry', registry.host], { input: STACK });
      expect(r.exitCode).toBe(1);
      expectWholeParagraphs(r.stderr);
      for (const image of ['elasticsearch/elasticsearch', 'kibana/kibana'])
        expect(r.stderr).toContain(
          `eck-airgap: ${registry.host}/${image}:8.16.1: unreachable: ${registry.host}: TLS handshake failed (OpenSSL: wrong version number)\n`,
        );
      expect(r.stderr).not.toMatch(/deps\/openssl|ssl3_get_record|error:0A00010B|EPROTO/);
      expect(r.stderr).toContain('  What to try: a plain-HTTP registry needs --plain-http.');
    });
  },
);
