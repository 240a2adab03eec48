// Real container registries for the mirror / verify tests: Debian's `docker-registry` (the CNCF distribution
// registry 2.8) started on 127.0.0.1 with a free port (port 0, read back from its log) and a temporary storage
// directory, in four variants: plain HTTP, TLS (a CA and a server certificate made with openssl), htpasswd Basic
// auth, and Bearer tokens from a small token server written here (node:http, an RS256 JWT with an x5c header
// whose certificate is the registry's rootcertbundle). Tiny multi-arch OCI images are written as OCI layouts on
// disk and pushed with the real skopeo. Nothing here reaches beyond 127.0.0.1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, randomUUID, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { expect, it } from 'vitest';

export const REGISTRY_BIN = process.env.ECK_AIRGAP_TEST_REGISTRY ?? '/usr/bin/docker-registry';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Which real tools are here; a suite that needs a missing one says loudly that it did not run. */
export const tools = {
  registry: existsSync(REGISTRY_BIN) ? REGISTRY_BIN : undefined,
  skopeo: onPath('skopeo'),
  openssl: onPath('openssl'),
  htpasswd: onPath('htpasswd'),
};
export const toolsPresent = Object.values(tools).every((t) => t !== undefined);
export const missingTools = Object.entries(tools)
  .filter(([, v]) => v === undefined)
  .map(([k]) => (k === 'registry' ? REGISTRY_BIN : k));

/**
 * What the suites assert about the tools whether they run or not: a tool found answers for its version (so a
 * broken install fails loudly), a tool not found is really not there.
 */
export function checkTools(): { registry?: string; skopeo?: string } {
  const versions: { registry?: string; skopeo?: string } = {};
  if (tools.registry) versions.registry = spawnSync(tools.registry, ['--version'], { encoding: 'utf8' }).stdout;
  else if (existsSync(REGISTRY_BIN)) throw new Error(`${REGISTRY_BIN} exists but was not detected`);
  if (tools.skopeo) versions.skopeo = spawnSync(tools.skopeo, ['--version'], { encoding: 'utf8' }).stdout;
  return versions;
}

export function warnNotRun(suite: string): void {
  if (toolsPresent) return;
  const line = `!!! ${suite}: NOT RUN — missing ${missingTools.join(', ')} (install docker-registry, skopeo, apache2-utils, openssl; .ci/run does) !!!`;
  console.warn(`\n${'!'.repeat(line.length)}\n${line}\n${'!'.repeat(line.length)}\n`);
}

/**
 * A registry suite's first test, run whether the suite runs or not: the tools answer for their versions, or the
 * test is reported skipped, naming what is missing (and the suite's NOT RUN banner is printed).
 */
export function itHasRegistryTools(suite: string, what = 'docker-registry, skopeo, htpasswd and openssl'): void {
  it.skipIf(!toolsPresent)(
    `${what} are present${toolsPresent ? '' : ` — SKIPPED: missing ${missingTools.join(', ')}`}`,
    () => {
      warnNotRun(suite);
      const versions = checkTools();
      expect(versions.registry).toMatch(/\b2\.\d+\.\d+/);
      expect(versions.skopeo).toMatch(/^skopeo version \d+\.\d+/);
    },
  );
}

const made: string[] = [];

/** A temporary directory, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `eck-airgap-${prefix}-`));
  made.push(dir);
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// Certificates (openssl)

export interface Pki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** A directory for skopeo's --cert-dir / --dest-cert-dir (holds ca.crt). */
  certDir: string;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync(tools.openssl ?? 'openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

export interface PkiOptions {
  /** The server certificate's subjectAltName (default `IP:127.0.0.1,DNS:localhost`): another name makes a mismatch. */
  readonly san?: string;
  /** A server certificate whose validity ended in 2020 (signed with `openssl ca`, which takes past dates). */
  readonly expired?: boolean;
}

/** A CA and a server certificate for 127.0.0.1 / localhost signed by it (or for other names, or expired). */
export function makePki(options: PkiOptions = {}): Pki {
  const dir = tempDir('pki');
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=eck-airgap test CA',
    ],
    dir,
  );
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'],
    dir,
  );
  writeFileSync(
    join(dir, 'ext.cnf'),
    `subjectAltName=${options.san ?? 'IP:127.0.0.1,DNS:localhost'}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
  );
  if (options.expired) {
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(
      join(dir, 'ca.cnf'),
      '[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n',
    );
    writeFileSync(join(dir, 'serial'), '01\n');
    openssl(
      [
        'ca',
        '-batch',
        '-config',
        'ca.cnf',
        '-cert',
        'ca.crt',
        '-keyfile',
        'ca.key',
        '-startdate',
        '20200101000000Z',
        '-enddate',
        '20200102000000Z',
        '-extfile',
        'ext.cnf',
        '-notext',
        '-in',
        'server.csr',
        '-out',
        'server.crt',
      ],
      dir,
    );
  } else
    openssl(
      [
        'x509',
        '-req',
        '-in',
        'server.csr',
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        'server.crt',
        '-days',
        '2',
        '-extfile',
        'ext.cnf',
      ],
      dir,
    );
  const certDir = join(dir, 'certs.d');
  mkdirSync(certDir);
  writeFileSync(join(certDir, 'ca.crt'), readFileSync(join(dir, 'ca.crt')));
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    certDir,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Token server (the registry's `auth: token`)

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** The certificate (PEM file) the registry trusts for tokens. */
  rootCertBundle: string;
  /** How many token requests came in, and with which user (undefined: anonymous). */
  requests: { user: string | undefined; scope: string | null }[];
  close(): Promise<void>;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/**
 * A token server that hands out pull/push tokens to `user`/`password` (and empty tokens to anonymous callers).
 * `host` is another loopback address (127.0.0.2) to stand for a realm on another host than the registry.
 */
export async function startTokenServer(user: string, password: string, host = '127.0.0.1'): Promise<TokenServer> {
  const dir = tempDir('token');
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'token.key',
      '-out',
      'token.crt',
      '-days',
      '2',
      '-subj',
      '/CN=eck-airgap test token issuer',
    ],
    dir,
  );
  const key = createPrivateKey(readFileSync(join(dir, 'token.key')));
  const certDer = Buffer.from(
    readFileSync(join(dir, 'token.crt'), 'utf8')
      .replace(/-----[A-Z ]+-----/g, '')
      .replace(/\s+/g, ''),
    'base64',
  );
  const service = 'eck-airgap-test-registry';
  const issuer = 'eck-airgap-test-issuer';
  const requests: TokenServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const header = req.headers.authorization ?? '';
    let who: string | undefined;
    if (header.startsWith('Basic ')) {
      const [u, ...p] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      if (u !== user || p.join(':') !== password) {
        requests.push({ user: u, scope: url.searchParams.get('scope') });
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"wrong user name or password"}');
        return;
      }
      who = u;
    }
    const scope = url.searchParams.get('scope');
    requests.push({ user: who, scope });
    const access = [];
    if (who && scope) {
      const [type, name, actions] = scope.split(':');
      if (type === 'repository' && name && actions) access.push({ type, name, actions: actions.split(',') });
    }
    const now = Math.floor(Date.now() / 1000);
    const head = { typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] };
    const claims = {
      iss: issuer,
      sub: who ?? '',
      aud: service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const input = `${b64url(JSON.stringify(head))}.${b64url(JSON.stringify(claims))}`;
    const token = `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `http://${host}:${port}/token`,
    service,
    issuer,
    rootCertBundle: join(dir, 'token.crt'),
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Registries

export interface RegistryOptions {
  tls?: Pki;
  /** htpasswd Basic auth with this user and password. */
  basic?: { user: string; password: string };
  /** Bearer tokens from this token server. */
  token?: TokenServer;
}

export interface Registry {
  /** host:port, e.g. 127.0.0.1:40807 */
  host: string;
  storage: string;
  tls: boolean;
  /** Stops the process (idempotent). */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
/** Removes every temporary directory made so far (call from afterAll; vitest may end a worker without 'exit'). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  removeTempDirs();
});

export async function startRegistry(options: RegistryOptions = {}): Promise<Registry> {
  const dir = tempDir('registry');
  const storage = join(dir, 'data');
  mkdirSync(storage);
  const lines = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    '  addr: 127.0.0.1:0',
    `  secret: ${randomUUID()}`,
  ];
  if (options.tls)
    lines.push('  tls:', `    certificate: ${options.tls.serverCert}`, `    key: ${options.tls.serverKey}`);
  if (options.basic) {
    const r = spawnSync(tools.htpasswd ?? 'htpasswd', ['-Bbn', options.basic.user, options.basic.password], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`htpasswd: ${r.stderr}`);
    writeFileSync(join(dir, 'htpasswd'), r.stdout);
    lines.push('auth:', '  htpasswd:', '    realm: eck-airgap-test', `    path: ${join(dir, 'htpasswd')}`);
  }
  if (options.token) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${options.token.realm}`,
      `    service: ${options.token.service}`,
      `    issuer: ${options.token.issuer}`,
      `    rootcertbundle: ${options.token.rootCertBundle}`,
    );
  }
  writeFileSync(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
  const child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let log = '';
  const host = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`docker-registry did not start:\n${log}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString('utf8');
      const m = /listening on (127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`docker-registry exited ${code}:\n${log}`));
    });
  });
  // keep draining its log so the pipe never fills
  child.stderr!.removeAllListeners('data').on('data', () => {});
  child.stdout!.removeAllListeners('data').on('data', () => {});
  child.removeAllListeners('exit');
  const stop = async (): Promise<void> => {
    if (!running.has(child)) return;
    running.delete(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { host, storage, tls: options.tls !== undefined, stop };
}

/** Removes a tag from a registry's storage (the API deletes manifests by digest, which drops every tag). */
export function deleteTag(registry: Registry, repository: string, tag: string): void {
  const dir = join(registry.storage, 'docker', 'registry', 'v2', 'repositories', repository, '_manifests', 'tags', tag);
  if (!existsSync(dir)) throw new Error(`no tag ${repository}:${tag} in ${registry.storage}`);
  rmSync(dir, { recursive: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Tiny OCI images

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A one-file tar archive (ustar), hand-written: 512-byte header, data, padding, two zero blocks. */
function tarOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, pad, Buffer.alloc(1024)]);
}

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export interface Platform {
  os: string;
  architecture: string;
}

export const BOTH: Platform[] = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
];

export interface WrittenImage {
  layout: string;
  /** The digest of the top manifest (the index, or the single manifest). */
  digest: string;
  /** Platform manifests by "os/arch". */
  children: Record<string, string>;
}

/** A new OCI layout folder being written: `put` stores a blob (returns its descriptor), `finish` writes the index. */
export interface OciLayoutWriter {
  readonly layout: string;
  readonly put: (data: Buffer) => { digest: string; size: number };
  /** oci-layout and index.json, with one entry (the top manifest or index) under the ref name given. */
  readonly finish: (top: { mediaType: string; digest: string; size: number }, ref: string) => void;
}

export function ociLayout(prefix: string): OciLayoutWriter {
  const layout = tempDir(prefix);
  const blobs = join(layout, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  return {
    layout,
    put: (data) => {
      const digest = sha256(data);
      writeFileSync(join(blobs, digest.slice(7)), data);
      return { digest, size: data.length };
    },
    finish: (top, ref) => {
      writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      writeFileSync(
        join(layout, 'index.json'),
        JSON.stringify({
          schemaVersion: 2,
          manifests: [{ ...top, annotations: { 'org.opencontainers.image.ref.name': ref } }],
        }),
      );
    },
  };
}

/**
 * Writes an OCI layout holding one image under the ref `latest`: one small layer per platform, a config with
 * os/architecture, and an index over the platforms (or a single manifest when `single` is set). The content
 * depends on `name`, so two images never share a digest.
 */
export function writeOciImage(
  name: string,
  platforms: Platform[] = BOTH,
  options: { single?: boolean } = {},
): WrittenImage {
  const { layout, put, finish } = ociLayout('oci');
  const children: Record<string, string> = {};
  const manifests = platforms.map((p) => {
    const tar = tarOneFile('hello.txt', Buffer.from(`${name} ${p.os}/${p.architecture}\n`));
    const layer = put(gzipSync(tar));
    const config = put(
      Buffer.from(
        JSON.stringify({
          architecture: p.architecture,
          os: p.os,
          config: {},
          rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
        }),
      ),
    );
    const manifest = put(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
          layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
        }),
      ),
    );
    children[`${p.os}/${p.architecture}`] = manifest.digest;
    return { mediaType: OCI_MANIFEST, ...manifest, platform: p };
  });
  let top: { mediaType: string; digest: string; size: number };
  if (options.single) {
    if (manifests.length !== 1) throw new Error('single needs one platform');
    const { platform: _platform, ...m } = manifests[0]!;
    top = m;
  } else {
    top = {
      mediaType: OCI_INDEX,
      ...put(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }))),
    };
  }
  finish(top, 'latest');
  return { layout, digest: top.digest, children };
}

/** Pushes a written image to `docker://<host>/<repository>:<tag>` with the real skopeo (every platform). */
export async function pushImage(
  image: WrittenImage,
  registry: Registry,
  repository: string,
  tag: string,
  extra: string[] = [],
): Promise<void> {
  const tls = registry.tls ? [] : ['--dest-tls-verify=false'];
  await execa(tools.skopeo ?? 'skopeo', [
    'copy',
    '--all',
    '--preserve-digests',
    '-q',
    ...tls,
    ...extra,
    `oci:${image.layout}:latest`,
    `docker://${registry.host}/${repository}:${tag}`,
  ]);
}

/** A registries.conf that sends docker.elastic.co (and `more`) to a local stand-in registry over plain HTTP. */
export function registriesConf(standIn: Registry, more: string[] = []): string {
  const file = join(tempDir('registries-conf'), 'registries.conf');
  const entries = ['docker.elastic.co', ...more].map(
    (prefix) =>
      `[[registry]]\nprefix = "${prefix}"\nlocation = "${standIn.host}"\ninsecure = ${standIn.tls ? 'false' : 'true'}\n`,
  );
  writeFileSync(file, `unqualified-search-registries = []\n\n${entries.join('\n')}`);
  return file;
}

/** A containers auth.json with `user:password` for each host. */
export function authFile(entries: Record<string, { user: string; password: string }>): string {
  const file = join(tempDir('auth'), 'auth.json');
  const auths: Record<string, { auth: string }> = {};
  for (const [host, { user, password }] of Object.entries(entries))
    auths[host] = { auth: Buffer.from(`${user}:${password}`).toString('base64') };
  writeFileSync(file, JSON.stringify({ auths }));
  return file;
}

/** `skopeo inspect --raw` of an image: its manifest bytes' digest, or undefined when skopeo fails. */
export async function remoteDigest(
  reference: string,
  extra: string[] = ['--tls-verify=false'],
): Promise<string | undefined> {
  const r = await execa(tools.skopeo ?? 'skopeo', ['inspect', '--raw', ...extra, `docker://${reference}`], {
    reject: false,
    encoding: 'buffer',
  });
  if (r.exitCode !== 0) return undefined;
  return sha256(Buffer.from(r.stdout));
}
