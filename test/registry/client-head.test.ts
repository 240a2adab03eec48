// The registry client's HEAD checks (hasManifest, hasBlob), which the mirror's repair check uses: present only on
// 200 with no Docker-Content-Digest naming other content; a digest that is not one is refused before any request.
// In process, against the hostile registry of test/support/hostile-registry.ts on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, parseManifest, MAX_INDEX_ENTRIES } from '../../src/registry/client.js';
import {
  answer,
  image,
  index,
  OCI_INDEX,
  sha256,
  startHostile,
  type HostileRegistry,
} from '../support/hostile-registry.js';

const amd = image();
const other = sha256('other');
let reg: HostileRegistry;
let client: RegistryClient;

beforeAll(async () => {
  reg = await startHostile((req, res) => {
    const url = req.url ?? '';
    if (url.includes('/lying/')) return answer(res, amd.manifest, { digest: other, method: req.method });
    if (url.endsWith(`/blobs/${amd.configDigest}`) || url.endsWith(`/manifests/${amd.digest}`))
      return answer(res, url.includes('/blobs/') ? amd.config : amd.manifest, { method: req.method });
    return answer(res, '{}', { status: 404, digest: null, method: req.method });
  });
  client = new RegistryClient(reg.host, { plainHttp: true, ca: [], timeoutMs: 5000, credentials: () => undefined });
});
afterAll(() => reg?.close());

describe('RegistryClient HEAD checks', () => {
  it('present, missing, a lying Docker-Content-Digest, and a digest that is no digest', async () => {
    expect(await client.hasManifest('kibana/kibana', amd.digest)).toEqual({ ok: true, value: true });
    expect(await client.hasBlob('kibana/kibana', amd.configDigest)).toEqual({ ok: true, value: true });
    expect(await client.hasBlob('kibana/kibana', sha256('gone'))).toMatchObject({ ok: false, status: 'missing' });
    expect(await client.hasManifest('lying/x', amd.digest)).toMatchObject({ ok: false, status: 'invalid answer' });
    expect(await client.hasBlob('lying/x', amd.configDigest)).toMatchObject({ ok: false, status: 'invalid answer' });
    const before = reg.requests.length;
    expect(await client.hasBlob('kibana/kibana', '../../etc/passwd')).toMatchObject({
      ok: false,
      status: 'invalid answer',
    });
    expect(reg.requests.length).toBe(before);
  });

  it('blob() hashes what it reads; manifest() by digest too', async () => {
    const blob = await client.blob('kibana/kibana', amd.configDigest);
    expect(blob.ok && blob.value.toString()).toBe(amd.config);
    expect(await client.blob('lying/x', amd.configDigest)).toMatchObject({ ok: false, status: 'invalid answer' });
    const manifest = await client.manifest('kibana/kibana', amd.digest);
    expect(manifest).toMatchObject({ ok: true, value: { digest: amd.digest, shape: { kind: 'manifest' } } });
  });
});

describe('parseManifest', () => {
  it('takes an index of at most MAX_INDEX_ENTRIES entries and refuses one more', () => {
    const entries = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        digest: sha256(String(i)),
        platform: { os: 'linux', architecture: `a${i}` },
      }));
    expect(parseManifest(Buffer.from(index(entries(MAX_INDEX_ENTRIES))), OCI_INDEX)).toMatchObject({
      shape: { kind: 'index' },
    });
    expect(parseManifest(Buffer.from(index(entries(MAX_INDEX_ENTRIES + 1))), OCI_INDEX)).toMatch(/more than the 1000/);
  });
});
