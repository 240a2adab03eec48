// `--with-diagnostics` takes its image only as `--with-diagnostics=IMAGE`; a following argument is a file, even one
// whose name reads as an image reference (`res.yaml` is the reference docker.io/library/res.yaml).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const KIBANA = (name: string): string => `apiVersion: kibana.k8s.elastic.co/v1
kind: Kibana
metadata:
  name: ${name}
spec:
  version: 8.16.1
`;

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-diag-'));
  writeFileSync(join(dir, 'res.yaml'), KIBANA('a'));
  writeFileSync(join(dir, 'other.yaml'), KIBANA('b'));
  return dir;
}

const sources = (stdout: string): string[] => (JSON.parse(stdout) as { source: string }[]).map((e) => e.source);

describe('--with-diagnostics', () => {
  it('`images --registry my.reg --with-diagnostics res.yaml` reads res.yaml and adds the default image', async () => {
    const cwd = workDir();
    const r = await runCli(['images', '--registry', 'my.reg', '-o', 'json', '--with-diagnostics', 'res.yaml'], {
      cwd,
      input: '',
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const list = sources(r.stdout);
    expect(list).toContain('docker.elastic.co/kibana/kibana:8.16.1');
    expect(list.some((s) => s.includes('support-diagnostics'))).toBe(true);
    expect(list.some((s) => s.includes('res.yaml'))).toBe(false);
  });

  it('a file after the flag keeps its place among the files; --with-diagnostics=IMAGE takes the image', async () => {
    const cwd = workDir();
    const both = await runCli(
      ['images', '--registry', 'my.reg', 'other.yaml', '--with-diagnostics', 'res.yaml', '-o', 'json'],
      { cwd, input: '' },
    );
    expect(both.exitCode, both.stderr).toBe(0);
    const listed = JSON.parse(both.stdout) as { source: string; usedBy: { name: string }[] }[];
    expect(listed.find((e) => e.source.includes('kibana'))?.usedBy.map((u) => u.name)).toEqual(['b', 'a']);
    const custom = await runCli(
      [
        'images',
        '--registry',
        'my.reg',
        '-o',
        'json',
        '--with-diagnostics=docker.elastic.co/eck-dev/support-diagnostics:8.4.3',
        'res.yaml',
      ],
      { cwd, input: '' },
    );
    expect(custom.exitCode, custom.stderr).toBe(0);
    expect(sources(custom.stdout)).toContain('docker.elastic.co/eck-dev/support-diagnostics:8.4.3');
  });

  it('`--with-diagnostics IMAGE` (no `=`) naming no file: the paragraph says the image goes only as --with-diagnostics=IMAGE', async () => {
    const cwd = workDir();
    const image = 'docker.elastic.co/eck-dev/support-diagnostics:9.3.1';
    for (const args of [
      ['images', '--registry', 'my.reg', 'res.yaml', '--with-diagnostics', image],
      ['mirror', '--registry', 'my.reg', '--with-diagnostics', image, 'res.yaml'],
      ['verify', '--registry', 'my.reg', '--with-diagnostics', image, 'res.yaml'],
    ]) {
      const r = await runCli(args, { cwd, input: '' });
      expect(r.exitCode, args[0]).toBe(2);
      expect(r.stdout, args[0]).toBe('');
      const paragraphs = r.stderr.trimEnd().split('\n');
      expect(paragraphs, args[0]).toHaveLength(1);
      expect(paragraphs[0]).toContain(`Cannot read ${image}: no such file.`);
      expect(paragraphs[0]).toContain('--with-diagnostics takes its image only as --with-diagnostics=IMAGE');
      expect(paragraphs[0]).toContain(`write --with-diagnostics=${image}`);
    }
    // a missing manifest file there stays a missing file, with no talk of images
    const missing = await runCli(['images', '--registry', 'my.reg', '--with-diagnostics', 'gone.yaml'], {
      cwd,
      input: '',
    });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('Cannot read gone.yaml: no such file.');
    expect(missing.stderr).not.toContain('--with-diagnostics=');
  });
});
