// mirror and verify over three images that fail for one cause: exactly one paragraph on stderr naming every image,
// the registry and the fix that fits the cause (issue 25, "Errors aggregated and actionable"). Real docker-registry
// processes (TLS with an openssl CA: unknown, for another name, expired; htpasswd), the real skopeo, the hostile
// server for what docker-registry will not do (a 403, an odd status, silence). DNS: the CLI runs in a network
// namespace with nothing but loopback (`unshare --net`, root), so a lookup fails at once and nothing leaves the
// machine. The classifier itself is tested over skopeo's captured lines in test/registry/failure-cause.unit.test.ts.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startHostile, type HostileRegistry } from '../support/hostile-registry.js';
import {
  authFile,
  makePki,
  missingTools,
  pushImage,
  registriesConf,
  removeTempDirs,
  startRegistry,
  tempDir,
  toolsPresent,
  writeOciImage,
  type Pki,
  type Registry,
} from '../support/registry.js';

const IMAGES = [
  'docker.elastic.co/kibana/kibana:8.16.1',
  'docker.elastic.co/beats/filebeat:8.16.1',
  'docker.elastic.co/beats/metricbeat:8.16.1',
];
const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  containers:\n${IMAGES.map((image, i) => `    - name: c${i}\n      image: ${image}\n`).join('')}`;
const onMirror = (host: string): string[] => IMAGES.map((i) => i.replace('docker.elastic.co', host));

const canUnshare =
  process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'true'], { stdio: 'ignore' }).status === 0;

/** The one paragraph: from its `eck-airgap: failed|not ready: 3 images:` line to its `What to try:` line. */
function oneParagraph(stderr: string, images: string[]): string {
  expect(stderr.match(/What to try:/g) ?? [], stderr).toHaveLength(1);
  const m = /^eck-airgap: (?:failed|not ready): 3 images: [^\n]*\n(?: {4}[^\n]*\n)+ {2}What to try: [^\n]*\n/m.exec(
    stderr,
  );
  expect(m, stderr).not.toBeNull();
  const paragraph = m![0];
  for (const image of images) expect(paragraph).toContain(`\n    ${image}\n`);
  return paragraph;
}

async function mirror(args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await runCli(['mirror', ...args, '-'], { input: pod, env });
  expect(r.exitCode, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/3 images to .*: 0 copied, 0 already there, 3 failed/);
  return oneParagraph(r.stderr, IMAGES);
}

async function verify(host: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await runCli(['verify', '--registry', host, ...args, '-'], { input: pod, env });
  expect(r.exitCode, r.stderr).toBe(1);
  expect(r.stderr).toContain(`3 of 3 images not ready on ${host}`);
  return oneParagraph(r.stderr, onMirror(host));
}

describe.runIf(toolsPresent)(
  `mirror and verify: one paragraph per cause${toolsPresent ? '' : ` — SKIPPED: missing ${missingTools.join(', ')}`}`,
  () => {
    const USER = { user: 'robot', password: 'Sekr1t-not-shown' };
    const WRONG = { user: 'robot', password: 'wr0ng-not-shown' };
    let source: Registry;
    let empty: Registry;
    let conf: string;
    let emptyConf: string;
    let pki: Pki;
    let pkiIp: Pki;
    let pkiExpired: Pki;
    let tls: Registry;
    let mismatch: Registry;
    let expired: Registry;
    let basic: Registry;
    let stopped: Registry;
    let forbidden: HostileRegistry;
    let teapot: HostileRegistry;
    let silent: HostileRegistry;
    let home: string;

    beforeAll(async () => {
      pki = makePki();
      pkiIp = makePki({ san: 'IP:127.0.0.2' });
      pkiExpired = makePki({ expired: true });
      [source, empty, tls, mismatch, expired, basic, stopped] = await Promise.all([
        startRegistry(),
        startRegistry(),
        startRegistry({ tls: pki }),
        startRegistry({ tls: pkiIp }),
        startRegistry({ tls: pkiExpired }),
        startRegistry({ basic: USER }),
        startRegistry(),
      ]);
      await stopped.stop();
      for (const [i, image] of IMAGES.entries()) {
        const path = image.slice('docker.elastic.co/'.length).split(':')[0]!;
        await pushImage(writeOciImage(`cause ${i}`), source, path, '8.16.1');
      }
      conf = registriesConf(source);
      emptyConf = registriesConf(empty);
      forbidden = await startHostile((_req, res) => {
        res
          .writeHead(403, { 'content-type': 'application/json' })
          .end('{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}');
      });
      teapot = await startHostile((_req, res) => {
        res.writeHead(418).end();
      });
      silent = await startHostile(() => {
        // never answers
      });
      home = tempDir('cause-home');
      mkdirSync(join(home, 'run'));
    });

    afterAll(async () => {
      await Promise.all([source, empty, tls, mismatch, expired, basic].map((r) => r?.stop()));
      await Promise.all([forbidden, teapot, silent].map((r) => r?.close()));
      removeTempDirs();
    });

    const toMirror = (host: string, ...extra: string[]): string[] => [
      '--registry',
      host,
      '--registries-conf',
      conf,
      ...extra,
    ];

    it('TLS, a CA this machine does not trust: give its CA with --ca-file', async () => {
      const m = await mirror(toMirror(tls.host));
      expect(m).toContain(`the TLS certificate of ${tls.host} is signed by a CA this machine does not trust`);
      expect(m).toContain('x509: certificate signed by unknown authority');
      expect(m).toMatch(/What to try: give its CA with --ca-file FILE/);
      const v = await verify(tls.host, []);
      expect(v).toContain(`the TLS certificate of ${tls.host} is signed by a CA this machine does not trust`);
      expect(v).toMatch(/What to try: give its CA with --ca-file FILE \(PEM\)\.\n$/);
    });

    it('TLS, a certificate for another name (its CA given): a CA cannot fix it, the name can', async () => {
      const m = await mirror(toMirror(mismatch.host, '--dest-cert-dir', pkiIp.certDir));
      expect(m).toContain(`the TLS certificate of ${mismatch.host} is not for that name (it is for 127.0.0.2)`);
      expect(m).toMatch(/What to try: a CA cannot fix this: reach the registry by a name its certificate holds/);
      expect(m).not.toMatch(/give its CA/);
      const v = await verify(mismatch.host, ['--ca-file', pkiIp.caCert]);
      expect(v).toContain(`the TLS certificate of ${mismatch.host} is not for that name (it is for 127.0.0.2)`);
      expect(v).toMatch(/What to try: a CA cannot fix this/);
      expect(v).not.toMatch(/give its CA/);
    });

    it('TLS, an expired certificate: renew it', async () => {
      const m = await mirror(toMirror(expired.host, '--dest-cert-dir', pkiExpired.certDir));
      expect(m).toContain(`the TLS certificate of ${expired.host} has expired or is not valid yet`);
      expect(m).toMatch(/What to try: renew the registry's certificate/);
      const v = await verify(expired.host, ['--ca-file', pkiExpired.caCert]);
      expect(v).toContain(`the TLS certificate of ${expired.host} has expired or is not valid yet`);
      expect(v).toMatch(/What to try: renew the registry's certificate/);
    });

    it('HTTPS asked of a plain-HTTP registry, and plain HTTP of an HTTPS one', async () => {
      const m = await mirror(toMirror(empty.host));
      expect(m).toContain(
        `${empty.host} speaks plain HTTP, not HTTPS: http: server gave HTTP response to HTTPS client`,
      );
      expect(m).toMatch(/What to try: a plain-HTTP registry needs --plain-http/);
      const v = await verify(empty.host, []);
      expect(v).toContain(`${empty.host} speaks plain HTTP, not HTTPS`);
      expect(v).toMatch(/What to try: a plain-HTTP registry needs --plain-http\.\n$/);
      const back = await verify(tls.host, ['--plain-http']);
      expect(back).toContain(`${tls.host} speaks HTTPS, not plain HTTP`);
      expect(back).toMatch(/What to try: drop --plain-http/);
    });

    it('credentials refused: the auth file and user are named, the password never', async () => {
      const wrong = authFile({ [basic.host]: WRONG });
      const m = await mirror(toMirror(basic.host, '--dest-tls-verify=false', '--authfile', wrong));
      expect(m).toContain(`${basic.host} refused the user name and password of ${wrong} (user robot)`);
      expect(m).toContain(`What to try: log in again (skopeo login --authfile ${wrong} ${basic.host})`);
      const v = await verify(basic.host, ['--plain-http', '--authfile', wrong]);
      expect(v).toContain(`${basic.host} refused the user name and password of ${wrong} (user robot)`);
      for (const text of [m, v]) expect(text).not.toContain(WRONG.password);
    });

    it('no credentials for the host: the auth files searched are named', async () => {
      const env = { HOME: home, XDG_RUNTIME_DIR: join(home, 'run') };
      const files = `${join(home, 'run', 'containers', 'auth.json')}, ${join(home, '.docker', 'config.json')}`;
      const m = await mirror(toMirror(basic.host, '--dest-tls-verify=false'), env);
      expect(m).toContain(`${basic.host} wants a user name and password, and none for it was found in ${files}`);
      expect(m).toContain(`What to try: give an auth file with an entry for ${basic.host}: --authfile FILE`);
      const other = authFile({ 'somewhere.else': USER });
      const v = await verify(basic.host, ['--plain-http', '--authfile', other]);
      expect(v).toContain(`${basic.host} wants a user name and password, and none for it was found in ${other}`);
      expect(v).toContain(`What to try: give an auth file with an entry for ${basic.host}: --authfile FILE`);
    });

    it.skipIf(!canUnshare)(
      `a host that cannot be resolved (no network at all): --to-dir / --registries-conf for mirror${canUnshare ? '' : ' — SKIPPED: needs root and unshare --net'}`,
      async () => {
        // the launcher runs `node` from PATH: this one runs the real node in a network namespace of its own
        const bin = tempDir('offline-node');
        writeFileSync(join(bin, 'node'), `#!/bin/sh\nexec unshare --net ${process.execPath} "$@"\n`);
        chmodSync(join(bin, 'node'), 0o755);
        const env = { PATH: `${bin}:${process.env.PATH ?? ''}` };
        const started = Date.now();
        const m = await mirror(['--registry', '127.0.0.1:9'], env);
        expect(m).toContain(
          'the host name docker.elastic.co cannot be resolved from here (DNS): lookup docker.elastic.co',
        );
        expect(m).toMatch(/What to try: .*mirror --to-dir DIR .*--registries-conf/);
        const v = await verify('registry.invalid', [], env);
        expect(v).toContain('the host name registry.invalid cannot be resolved from here (DNS)');
        expect(v).toMatch(/What to try: check the name/);
        expect(Date.now() - started).toBeLessThan(20_000);
      },
    );

    it('nothing listening: start the registry or correct its address', async () => {
      const m = await mirror(toMirror(stopped.host, '--dest-tls-verify=false'));
      expect(m).toContain(`nothing answers at ${stopped.host} (connection refused)`);
      expect(m).toMatch(/What to try: start the registry, or correct its host and port/);
      const v = await verify(stopped.host, ['--plain-http']);
      expect(v).toContain(`nothing answers at ${stopped.host} (connection refused)`);
    });

    it('no answer in time', async () => {
      const m = await mirror(toMirror(silent.host, '--dest-tls-verify=false', '--timeout', '3'));
      expect(m).toMatch(/gave no answer in time/);
      expect(m).toMatch(/What to try: it did not finish within --timeout 3 s/);
      const v = await verify(silent.host, ['--plain-http', '--timeout', '2']);
      expect(v).toContain(`${silent.host} gave no answer in time`);
      expect(v).toMatch(/What to try: check that .* is up and reachable .*raise --timeout/);
    });

    it('not found: at the source, check the names; on the mirror, run mirror', async () => {
      const m = await mirror(['--registry', empty.host, '--registries-conf', emptyConf, '--dest-tls-verify=false']);
      expect(m).toContain(`not found on ${empty.host}: manifest unknown`);
      expect(m).toMatch(/What to try: check the names and tags; .*--registries-conf/);
      const v = await verify(empty.host, ['--plain-http']);
      expect(v).toContain(`missing on ${empty.host}`);
      expect(v).toMatch(
        /What to try: copy them with eck-airgap mirror \(with the same settings\), then run verify again/,
      );
    });

    it('access denied (403)', async () => {
      const m = await mirror(toMirror(forbidden.host, '--dest-tls-verify=false'));
      expect(m).toContain(`${forbidden.host} denies access`);
      expect(m).toMatch(/What to try: ask for push access to these repositories/);
      const v = await verify(forbidden.host, ['--plain-http']);
      expect(v).toContain(`${forbidden.host} denies access`);
      expect(v).toMatch(/What to try: ask for pull access to these repositories/);
    });

    it("anything else: skopeo's first meaningful line, once", async () => {
      const m = await mirror(toMirror(teapot.host, '--dest-tls-verify=false'));
      expect(m).toMatch(/invalid status code from registry 418/);
      expect(m).not.toMatch(/time=|level=fatal/);
      const v = await verify(teapot.host, ['--plain-http']);
      expect(v).toContain('HTTP 418');
    });
  },
);
