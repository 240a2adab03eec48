// The CLI's ends: stdout closed early by the reader, stdout and stderr non-blocking, and stdin that is a terminal.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  createReadStream,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, cliPath, runCli, startCli } from '../support/cli.js';
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

// The runs below that need a descriptor Node cannot hand a child (a shell pipeline into head, a socket filled
// before the CLI starts, a non-blocking FIFO) wrap the CLI in bash or perl: they take cliPath and cleanEnv().
const env = cleanEnv();

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
    const child = startCli(['--registry', 'mirror.example', file], { timeout: 60_000 });
    child.stdout!.once('data', () => child.stdout!.destroy());
    const run = await child.result;
    expect(run.signal).toBeUndefined();
    expect(run.exitCode).toBe(0);
    expect(run.stderr).not.toMatch(/\n\s+at |EPIPE|Error/);
  });

  // Node's child pipes are Unix socket pairs. A write waiting for room when the reader closes with output unread
  // fails with ECONNRESET, not EPIPE: the reader went away all the same. The test above meets that only by chance;
  // perl (perl-base, in every Debian) makes it certain: it fills the socket before the CLI starts, waits for the
  // report on stderr (written before stdout), lets the CLI block in its first write, then closes the socket unread.
  const resetReader =
    'use Socket; use Fcntl; ' +
    'socketpair(my $w, my $r, AF_UNIX, SOCK_STREAM, PF_UNSPEC) or die "socketpair: $!"; ' +
    'my $flags = fcntl($w, F_GETFL, 0); fcntl($w, F_SETFL, $flags | O_NONBLOCK) or die; ' +
    'my $chunk = "x" x 4096; while (defined syswrite($w, $chunk)) {} die "fill: $!" unless $!{EAGAIN}; fcntl($w, F_SETFL, $flags) or die; ' +
    'pipe(my $er, my $ew) or die; my $pid = fork() // die; ' +
    'if ($pid == 0) { open(STDOUT, ">&", $w) or die; open(STDERR, ">&", $ew) or die; exec @ARGV or die "exec: $!"; } ' +
    'close $w; close $ew; my $first = <$er>; select(undef, undef, undef, 0.3); close $r; ' +
    'my $rest = do { local $/; <$er> }; waitpid($pid, 0); print "exit=", $? >> 8, " signal=", $? & 127, "\n", $first // "", $rest // "";';

  it('a reader that closes its socket with output unread while the CLI waits to write (ECONNRESET): exit 0, no message', () => {
    const file = bigStreamFile();
    const result = spawnSync('perl', ['-e', resetReader, cliPath, '--registry', 'mirror.example', file], {
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    const [status, report, ...rest] = result.stdout.split('\n');
    expect(status).toBe('exit=0 signal=0');
    expect(report).toMatch(/^eck-airgap: \d+ images moved/);
    expect(rest.join('\n')).toBe('');
  });
});

describe('stdout and stderr non-blocking', () => {
  // The CLI writes with blocking writes to descriptors 1 and 2; one its parent made non-blocking (as a Go program such
  // as Helm may) fails with EAGAIN once the pipe is full, and is written through Node's stream from there on. Node
  // cannot hand a child such a descriptor (libuv makes a child's stdio blocking), so perl (perl-base, in every Debian)
  // opens a FIFO, sets O_NONBLOCK on it as stdout and stderr (`2>&1`), and execs the CLI.
  const nonBlocking =
    'use Fcntl; my $f = shift; open(my $h, "+<", $f) or die; fcntl($h, F_SETFL, O_RDWR | O_NONBLOCK) or die; ' +
    'open(STDOUT, ">&", $h) or die; open(STDERR, ">&", $h) or die; close($h); ' +
    'die "not non-blocking" unless fcntl(STDOUT, F_GETFL, 0) & O_NONBLOCK; exec @ARGV or die';

  it('all the output arrives, in order, as when stdout is a file', async () => {
    const file = bigStreamFile();
    const expected = await runCli(['--registry', 'mirror.example', '--quiet', file]);
    expect(expected.exitCode).toBe(0);
    const fifo = join(dir, 'out.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // The reader holds the FIFO open for writing too (O_RDWR), so neither open waits for the other.
    const hold = openSync(fifo, constants.O_RDWR);
    const chunks: Buffer[] = [];
    const reader = createReadStream('', { fd: openSync(fifo, constants.O_RDONLY) });
    reader.on('data', (c) => chunks.push(c as Buffer));
    const readerClosed = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    const child = spawn('perl', ['-e', nonBlocking, fifo, cliPath, '--registry', 'mirror.example', file], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let perlErr = '';
    child.stderr.on('data', (c: Buffer) => (perlErr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    closeSync(hold);
    await readerClosed;
    expect(perlErr).toBe('');
    expect(code).toBe(0);
    const got = Buffer.concat(chunks).toString('utf8');
    // render's report (written first), then the whole output
    const report = got.slice(0, got.indexOf('\n') + 1);
    expect(report).toMatch(/^eck-airgap: \d+ images moved/);
    expect(got.slice(report.length) === expected.stdout, 'stdout intact, after the report').toBe(true);
  });
});

describe('stdin is a terminal', () => {
  // `script` (util-linux) runs the CLI with a pseudo-terminal as stdin, as an interactive shell would;
  // Node itself cannot open one without a native add-on.
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

  it('util-linux `script` is available to give the CLI a terminal', () => {
    expect(hasScript, 'install util-linux (the `script` command) to run the terminal test').toBe(true);
  });

  it('prints a usage hint and exits 2 instead of waiting for input', async () => {
    const result = await runCli(['--registry', 'mirror.example'], { tty: true, timeout: 30_000 });
    expect(result.timedOut).toBe(false); // not killed by the time limit: it did not wait
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/stdin is a terminal/);
    expect(result.stdout).toMatch(/helm template .* \| eck-airgap/);
  });
});
