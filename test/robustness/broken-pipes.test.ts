// The CLI's ends: stdout closed early by the reader, and stdin that is a terminal.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath } from '../../scripts/fuzz/run-cli.mjs';
import { deployment } from './cli-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-pipes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** About 5 MB: far more than a pipe buffer holds, so the CLI is still writing when the reader goes away. */
function bigStreamFile(): string {
  const file = join(dir, 'big.yaml');
  const doc = `---\n${deployment('d', 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3')}`;
  writeFileSync(file, doc.repeat(Math.ceil(5_000_000 / doc.length)));
  return file;
}

/** The parent environment without eck-airgap settings a developer's shell may hold. */
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(ARGOCD_ENV_)?ECK_AIRGAP_/.test(key)));

describe('stdout closed early', () => {
  it('`eck-airgap … | head -1` ends quietly: exit 0, nothing on stderr', () => {
    const file = bigStreamFile();
    const errFile = join(dir, 'stderr.txt');
    const script = `"${cliPath}" --registry mirror.example --quiet < "${file}" 2> "${errFile}" | head -1; echo "cli=\${PIPESTATUS[0]}"`;
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', env, timeout: 60_000 });
    expect(result.stdout).toBe('---\ncli=0\n');
    expect(readFileSync(errFile, 'utf8')).toBe('');
  });

  it('a reader that closes the pipe after the first chunk: the CLI exits by itself, without a stack trace', async () => {
    const file = bigStreamFile();
    const child = spawn(cliPath, ['--registry', 'mirror.example', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    clearTimeout(timer);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/\n\s+at |EPIPE|Error/);
  });
});

describe('stdin is a terminal', () => {
  // `script` (util-linux) runs the CLI with a pseudo-terminal as stdin, as an interactive shell would;
  // Node itself cannot open one without a native add-on.
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

  it('util-linux `script` is available to give the CLI a terminal', () => {
    expect(hasScript, 'install util-linux (the `script` command) to run the terminal test').toBe(true);
  });

  it('prints a usage hint and exits 2 instead of waiting for input', () => {
    const result = spawnSync('script', ['-qec', `"${cliPath}" --registry mirror.example`, '/dev/null'], { encoding: 'utf8', env, input: '', timeout: 30_000 });
    expect(result.signal).toBeNull(); // not killed by the time limit: it did not wait
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/stdin is a terminal/);
    expect(result.stdout).toMatch(/helm template .* \| eck-airgap/);
  });
});
