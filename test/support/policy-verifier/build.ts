// Builds test/support/policy-verifier (main.go) against Debian's containers/image source
// (golang-github-containers-image-dev, GOPATH layout under /usr/share/gocode) with the two functions Debian
// disables ("Debian-local change: sigstore disabled") pointed at overlay/: a `go build -overlay` replaces each
// stub file by a copy whose stub line calls our function, and adds our two files to those packages. Nothing is
// fetched; nothing outside a temp directory is written (Go's build cache aside). The build refuses when a stub
// is not found exactly once (another Debian version: look again, do not guess).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../registry.js';

const HERE = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname);
export const GOCODE = '/usr/share/gocode/src';
export const LIBRARY = join(GOCODE, 'github.com/containers/image');
export const UPSTREAM_FIXTURES = join(LIBRARY, 'signature/fixtures');

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

export const goBin = onPath('go');
export const goMissing = [
  ...(goBin ? [] : ['go (apt-get install golang-go)']),
  ...(existsSync(join(LIBRARY, 'signature/policy_eval_sigstore.go'))
    ? []
    : ['containers/image source (apt-get install golang-github-containers-image-dev)']),
];

/** The stubs: file (relative to the library), the stub line, what it becomes. */
const STUBS: [string, string, string][] = [
  [
    'signature/policy_eval_sigstore.go',
    'return sarRejected, errors.New(`Debian-local change: sigstore disabled`)',
    'return pr.eckAirgapIsSignatureAccepted(ctx, image, sig)',
  ],
  [
    'signature/internal/sigstore_payload.go',
    'return nil, errors.New(`Debian-local change: sigstore disabled`)',
    'return eckAirgapVerifySigstorePayload(publicKey, unverifiedPayload, unverifiedBase64Signature, rules)',
  ],
];

export interface BuiltVerifier {
  readonly bin: string;
  readonly seconds: number;
}

export function buildPolicyVerifier(): BuiltVerifier {
  const dir = tempDir('policy-verifier');
  const gopath = join(dir, 'gopath');
  // the library's import path is github.com/containers/image/v5; Debian's GOPATH tree has no v5 level
  mkdirSync(join(gopath, 'src/github.com/containers/image'), { recursive: true });
  const lib = join(gopath, 'src/github.com/containers/image/v5');
  symlinkSync(LIBRARY, lib);
  mkdirSync(join(gopath, 'src/eckairgap/policy-verifier'), { recursive: true });
  copyFileSync(join(HERE, 'main.go'), join(gopath, 'src/eckairgap/policy-verifier/main.go'));
  const replace: Record<string, string> = {};
  for (const [file, stub, call] of STUBS) {
    const text = readFileSync(join(LIBRARY, file), 'utf8');
    const count = text.split(stub).length - 1;
    if (count !== 1)
      throw new Error(
        `${join(LIBRARY, file)}: the Debian stub \`${stub}\` is there ${count} times, not once; this build knows containers/image 5.23.1-4`,
      );
    const patched = join(dir, file.replace(/\//g, '_'));
    writeFileSync(patched, text.replace(stub, call), { flag: 'wx' });
    replace[join(lib, file)] = patched;
  }
  replace[join(lib, 'signature/eckairgap_policy.go')] = join(HERE, 'overlay/eckairgap_policy.go');
  replace[join(lib, 'signature/internal/eckairgap_payload.go')] = join(HERE, 'overlay/eckairgap_payload.go');
  const overlay = join(dir, 'overlay.json');
  writeFileSync(overlay, JSON.stringify({ Replace: replace }), { flag: 'wx' });
  const bin = join(dir, 'policy-verifier');
  const started = Date.now();
  const r = spawnSync(
    goBin ?? 'go',
    ['build', '-tags', 'containers_image_openpgp', '-overlay', overlay, '-o', bin, 'eckairgap/policy-verifier'],
    {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? dir,
        GOPATH: `${gopath}:/usr/share/gocode`,
        GO111MODULE: 'off',
        GOFLAGS: '',
        GOPROXY: 'off',
        CGO_ENABLED: '0',
        ...(process.env.GOCACHE ? { GOCACHE: process.env.GOCACHE } : {}),
      },
      timeout: 15 * 60_000,
    },
  );
  if (r.status !== 0)
    throw new Error(`go build of the policy verifier failed:\n${r.stderr}${r.error ? String(r.error) : ''}`);
  return { bin, seconds: (Date.now() - started) / 1000 };
}
