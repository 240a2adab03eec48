// src/registry/auth-file.ts and parseChallenge (src/registry/client.ts) in process: they were reached only through
// `eck-airgap verify` against real registries. Auth files as containers-auth.json(5) and Docker write them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authFileCandidates, loadCredentials } from '../../src/registry/auth-file.js';
import { parseChallenge } from '../../src/registry/client.js';

const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-auth-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const b64 = (text: string): string => Buffer.from(text).toString('base64');
function authFile(name: string, auths: Record<string, unknown>): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ auths }));
  return file;
}

describe('auth file keys', () => {
  it('the most specific host/path entry wins, then the host', () => {
    const file = authFile('specific.json', {
      'my.registry:5000': { auth: b64('host:h') },
      'my.registry:5000/team': { auth: b64('team:t') },
      'my.registry:5000/team/sub': { auth: b64('sub:s') },
    });
    const lookup = loadCredentials(file, {});
    expect(lookup('my.registry:5000', 'team/sub/image')?.username).toBe('sub');
    expect(lookup('my.registry:5000', 'team/image')?.username).toBe('team');
    expect(lookup('my.registry:5000', 'other/image')?.username).toBe('host');
    expect(lookup('my.registry:5000')?.password).toBe('h');
    expect(lookup('my.registry')).toBeUndefined();
  });

  it('Docker Hub keys (https://index.docker.io/v1/) are docker.io; schemes and trailing slashes are dropped', () => {
    const file = authFile('hub.json', {
      'https://index.docker.io/v1/': { auth: b64('hub:pw') },
      'https://my.registry/': { username: 'u', password: 'p:with:colons' },
    });
    const lookup = loadCredentials(file, {});
    expect(lookup('docker.io', 'library/nginx')).toMatchObject({ username: 'hub', password: 'pw', file });
    expect(lookup('my.registry')).toMatchObject({ username: 'u', password: 'p:with:colons' });
  });

  it('a password may hold colons (split at the first); an entry without credentials is no entry; an auth without a colon is refused, its value not shown', () => {
    const file = authFile('colons.json', { 'a.example': { auth: b64('user:pa:ss') }, 'b.example': {} });
    const lookup = loadCredentials(file, {});
    expect(lookup('a.example')).toMatchObject({ username: 'user', password: 'pa:ss' });
    expect(lookup('b.example')).toBeUndefined();
    const bad = authFile('nocolon.json', { 'c.example': { auth: b64('nocolon') } });
    expect(() => loadCredentials(bad, {})('c.example')).toThrow(
      /nocolon\.json: the entry auths\["c\.example"\] has an "auth" that is not base64 of user:password \(its value is not shown\)/,
    );
  });

  it('without --authfile: REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json, then ~/.docker/config.json, the first that has the host', () => {
    expect(
      authFileCandidates(undefined, { REGISTRY_AUTH_FILE: '/a.json', XDG_RUNTIME_DIR: '/run/u', HOME: '/home/u' }),
    ).toEqual({
      files: ['/a.json', '/run/u/containers/auth.json', '/home/u/.docker/config.json'],
      required: false,
    });
    expect(authFileCandidates('/given.json', { REGISTRY_AUTH_FILE: '/a.json' })).toEqual({
      files: ['/given.json'],
      required: true,
    });
    const first = authFile('first.json', { 'x.example': { auth: b64('first:1') } });
    const home = join(dir, 'home');
    const second = join(home, '.docker');
    mkdirSync(second, { recursive: true });
    writeFileSync(
      join(second, 'config.json'),
      JSON.stringify({ auths: { 'x.example': { auth: b64('second:2') }, 'y.example': { auth: b64('second:3') } } }),
    );
    const lookup = loadCredentials(undefined, { REGISTRY_AUTH_FILE: first, HOME: home });
    expect(lookup('x.example')?.username).toBe('first');
    expect(lookup('y.example')?.username).toBe('second');
  });

  it('--authfile that cannot be read, or is not JSON, is a usage error naming the file', () => {
    expect(() => loadCredentials(join(dir, 'absent.json'), {})).toThrow(
      /--authfile .*absent\.json: cannot read it \(no such file\)/,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{not json');
    expect(() => loadCredentials(bad, {})).toThrow(/bad\.json: not a valid auth file \(not JSON\)/);
  });
});

describe('parseChallenge (WWW-Authenticate)', () => {
  it('reads the scheme (lower-cased) and its parameters, quoted or not', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull' },
    });
    expect(parseChallenge('Basic realm=Registry')).toEqual({ scheme: 'basic', params: { realm: 'Registry' } });
  });

  it('unescapes quoted pairs, keeps commas inside quotes, lower-cases parameter names', () => {
    expect(parseChallenge('Bearer Realm="a\\"b", scope="repository:x:pull,push"')?.params).toEqual({
      realm: 'a"b',
      scope: 'repository:x:pull,push',
    });
  });

  it('no header, or no scheme, is no challenge', () => {
    expect(parseChallenge(undefined)).toBeUndefined();
    expect(parseChallenge('')).toBeUndefined();
    expect(parseChallenge('   ')).toBeUndefined();
  });
});
