// eck-airgap models one ECK operator per stream. A stream holding two (one per team namespace, each restricted with
// `--namespaces`: ECK v3.5.0 cmd/manager/main.go, flag `namespaces` — "namespaces in which this operator should
// manage resources (defaults to all namespaces)") is refused by render, images and check, naming each operator;
// before, render rewrote the second operator's flags to the first one's and pinned its resources to those images.
import { describe, expect, it } from 'vitest';
import { runCli, tempFile } from '../support/cli.js';

function operator(
  kind: string,
  namespace: string,
  name: string,
  args: string[],
  image = 'docker.elastic.co/eck/eck-operator:3.5.0',
): string {
  const extra = kind === 'StatefulSet' ? '  serviceName: x\n' : '';
  return (
    `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${extra}` +
    `  selector:\n    matchLabels: {a: b}\n  template:\n    metadata:\n      labels: {a: b}\n    spec:\n` +
    `      containers:\n      - name: manager\n        image: ${image}\n        args: [${args.join(', ')}]\n`
  );
}

function kibana(namespace: string, name: string): string {
  return `apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  version: 8.15.0\n`;
}

const stream = (...docs: string[]): string => docs.join('---\n');

const teamA = operator('StatefulSet', 'team-a', 'eck-a', ['manager', '--ubi-only', '--namespaces=team-a']);
const teamB = operator('StatefulSet', 'team-b', 'eck-b', ['manager', '--ubi-only=false', '--namespaces=team-b']);

const COMMANDS = [[], ['images'], ['check']] as const;

/** render (the default command), images and check on the file: each exits 1, writes nothing, and names both. */
async function expectRefused(text: string, named: RegExp[], file = 'two.yaml'): Promise<void> {
  const path = tempFile(file, text);
  for (const command of COMMANDS) {
    const result = await runCli([...command, '--registry', 'my.reg:5000', path]);
    const what = command[0] ?? 'render';
    expect(result.exitCode, `${what}: ${result.stderr}`).toBe(1);
    expect(result.stdout, what).toBe('');
    expect(result.stderr, what).toMatch(/ECK operators \(/);
    expect(result.stderr, what).toContain('models one operator per stream');
    expect(result.stderr, what).toContain('helm template');
    for (const name of named) expect(result.stderr, what).toMatch(name);
    expect(result.stderr, what).not.toMatch(/\n\s+at /); // no stack trace
    // one paragraph
    expect(result.stderr.trim().split('\n').length, what).toBe(1);
  }
}

describe('a stream with two ECK operators', () => {
  it('with different settings (--ubi-only vs --ubi-only=false): refused by render, images and check, naming both', async () => {
    await expectRefused(stream(teamA, teamB, kibana('team-b', 'k')), [
      /two\.yaml: document 1: StatefulSet team-a\/eck-a/,
      /two\.yaml: document 2: StatefulSet team-b\/eck-b/,
      /holds 2 ECK operators/,
    ]);
  });

  it('with the same settings: refused too (which operator manages what is not modelled)', async () => {
    const same = operator('StatefulSet', 'team-b', 'eck-b', ['manager', '--ubi-only', '--namespaces=team-b']);
    await expectRefused(stream(teamA, same, kibana('team-a', 'k')), [
      /document 1: StatefulSet team-a\/eck-a/,
      /document 2: StatefulSet team-b\/eck-b/,
    ]);
  });

  it('the second far behind the first, once the first is fully known: still seen (render does not stop early)', async () => {
    const kibanas = Array.from({ length: 60 }, (_, i) => kibana('team-a', `k${i}`));
    await expectRefused(stream(teamA, ...kibanas, operator('Deployment', 'team-b', 'eck-b', ['manager'])), [
      /document 1: StatefulSet team-a\/eck-a/,
      /document 62: Deployment team-b\/eck-b/,
    ]);
  });

  it('the second spelled with escapes in a double-quoted image: still seen', async () => {
    const escaped = operator(
      'Deployment',
      'team-b',
      'eck-b',
      ['manager'],
      '"docker.elastic.co/eck/\\x65ck-operator:3.5.0"',
    );
    await expectRefused(stream(teamA, kibana('team-a', 'k'), escaped), [
      /document 1: StatefulSet team-a\/eck-a/,
      /document 3: Deployment team-b\/eck-b/,
    ]);
    // An escaped line break joins the two lines without a space: docker.elastic.co/eck/eck-operator:3.5.0.
    const joined = operator(
      'Deployment',
      'team-b',
      'eck-b',
      ['manager'],
      '"docker.elastic.co/eck/eck-\\\n          operator:3.5.0"',
    );
    await expectRefused(stream(teamA, kibana('team-a', 'k'), joined), [/document 3: Deployment team-b\/eck-b/]);
  });

  it('two operators in one kind: List, and two manager containers in one workload: each named', async () => {
    const items = [teamA, teamB].map((d) => `${d.trimEnd().replace(/^/gm, '    ').replace(/^    /, '  - ')}\n`);
    const list = `apiVersion: v1\nkind: List\nitems:\n${items.join('')}`;
    await expectRefused(list, [/StatefulSet team-a\/eck-a/, /StatefulSet team-b\/eck-b/]);
    const twoContainers =
      teamA +
      '      - name: manager-b\n        image: docker.elastic.co/eck/eck-operator:3.5.0\n        args: [manager, --ubi-only=false]\n';
    await expectRefused(twoContainers, [
      /StatefulSet team-a\/eck-a, container manager;/,
      /StatefulSet team-a\/eck-a, container manager-b\)/,
    ]);
  });

  it('in two files: each named with its file', async () => {
    const a = tempFile('team-a.yaml', stream(teamA, kibana('team-a', 'k')));
    const b = tempFile('team-b.yaml', teamB);
    for (const command of COMMANDS) {
      const result = await runCli([...command, '--registry', 'my.reg:5000', a, b]);
      expect(result.exitCode, result.stderr).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/team-a\.yaml: document 1: StatefulSet team-a\/eck-a/);
      expect(result.stderr).toMatch(/team-b\.yaml: document 1: StatefulSet team-b\/eck-b/);
    }
  });
});

describe('one operator and many stack resources', () => {
  it('is rendered as before: the operator keeps its own settings, every Kibana follows them', async () => {
    const kibanas = Array.from({ length: 200 }, (_, i) => kibana('team-b', `k${i}`));
    const input = stream(teamB, ...kibanas);
    const result = await runCli(['--registry', 'my.reg:5000', '-q'], { input });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'args: [manager, --ubi-only=false, --namespaces=team-b, --container-registry=my.reg:5000]',
    );
    expect(result.stdout.match(/image: my\.reg:5000\/kibana\/kibana:8\.15\.0\n/g)).toHaveLength(200);
    expect(result.stdout).not.toContain('kibana-ubi');
    const images = await runCli(['images', '--registry', 'my.reg:5000'], { input });
    expect(images.exitCode, images.stderr).toBe(0);
    expect(images.stdout).toContain('docker.elastic.co/kibana/kibana:8.15.0');
    expect(images.stdout).not.toContain('kibana-ubi');
  });
});
