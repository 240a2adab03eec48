// src/lock/lock-file.ts in process (reached before only through verify --lock-output and render/check --lock): the
// lock's order, its text read back to the same lock, the lookup key, and the read refusing what is not a lock file
// (through io/read-bounded.ts with noFollow: a link at the last component is refused, a file the CLI wrote).
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { formatLock, lockKey, makeLock, parseLock, readLock, writeLock } from '../../src/lock/lock-file.js';

const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-lock-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const D = (c: string): string => `sha256:${c.repeat(64)}`;

const lock = makeLock([
  {
    image: 'my.registry/kibana/kibana:8.16.1',
    source: 'docker.elastic.co/kibana/kibana:8.16.1',
    digest: D('e'),
    platforms: [],
  },
  {
    image: 'my.registry/elasticsearch/elasticsearch:8.16.1',
    source: 'docker.elastic.co/elasticsearch/elasticsearch:8.16.1',
    digest: D('a'),
    platforms: [
      { platform: 'linux/arm64', digest: D('c') },
      { platform: 'linux/amd64', digest: D('b') },
    ],
  },
  { image: 'my.registry/team/app:1.0', source: null, digest: D('f'), platforms: [] },
]);

describe('the lock format', () => {
  it('images sorted by name, platforms by platform; the text reads back to the same lock', () => {
    expect(lock.images.map((i) => i.image)).toEqual([
      'my.registry/elasticsearch/elasticsearch:8.16.1',
      'my.registry/kibana/kibana:8.16.1',
      'my.registry/team/app:1.0',
    ]);
    expect(lock.images[0]!.platforms.map((p) => p.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    const text = formatLock(lock);
    expect(text).toMatch(/^# eck-airgap images lock: .*\n# Format: .*\napiVersion: eck-airgap\/v1\nkind: ImagesLock\n/);
    expect(parseLock(text, 'x.yaml')).toEqual(lock);
  });

  it('the key: the normalized name and tag (latest when none), or the digest alone', () => {
    expect(lockKey('my.registry/kibana/kibana')).toBe('my.registry/kibana/kibana:latest');
    expect(lockKey(`my.registry/kibana/kibana:8.16.1@${D('a')}`)).toBe('my.registry/kibana/kibana:8.16.1');
    expect(lockKey(`my.registry/kibana/kibana@${D('a')}`)).toBe(`my.registry/kibana/kibana@${D('a')}`);
    expect(lockKey('nginx')).toBe('docker.io/library/nginx:latest');
    expect(lockKey('Not An Image')).toBeUndefined();
  });

  it('text that is not a lock is refused naming the file and the line', () => {
    expect(() => parseLock('apiVersion: eck-airgap/v1\nkind: [\n', 'bad.yaml')).toThrow(
      /Lock file bad\.yaml, line \d+: not valid YAML/,
    );
    expect(() => parseLock('a: &x 1\nb: *x\n', 'alias.yaml')).toThrow(InputError);
  });
});

describe('readLock and writeLock', () => {
  it('what writeLock wrote, readLock reads; through a link at the last component it does not', () => {
    const path = join(dir, 'images.lock.yaml');
    writeLock(path, lock);
    expect(readLock(path)).toEqual(lock);
    const link = join(dir, 'link.yaml');
    symlinkSync(path, link);
    expect(() => readLock(link)).toThrow(`Cannot read lock file ${link}: a symbolic link; give the file it points to.`);
  });

  it('a directory, a missing file and bytes that are not UTF-8 are refused, each in one sentence', () => {
    expect(() => readLock(dir)).toThrow(
      /^Cannot read lock file .*: not a regular file \(a directory\); it must be a regular file; give the lock file verify --lock-output wrote\.$/,
    );
    expect(() => readLock(join(dir, 'absent.yaml'))).toThrow(
      `Cannot read lock file ${join(dir, 'absent.yaml')}: no such file.`,
    );
    const latin1 = join(dir, 'latin1.yaml');
    writeFileSync(latin1, Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xe9, 0x0a]));
    expect(() => readLock(latin1)).toThrow(`Cannot read lock file ${latin1}: not UTF-8 text.`);
  });
});
