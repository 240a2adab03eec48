// Hand-made render cases (charts-test/cases/render): NAME.in.yaml through the real CLI with NAME.args must give
// NAME.out.yaml byte for byte, and rendering that again must change nothing. A refused case has NAME.err.txt
// instead: render, images and check each exit 1 with exactly that on stderr and nothing on stdout.
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runCli } from '../support/cli.js';

const dir = join(repoRoot, 'charts-test', 'cases', 'render');
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.in.yaml'))
  .map((f) => f.slice(0, -'.in.yaml'.length))
  .sort();

function argsOf(name: string): string[] {
  const path = join(dir, `${name}.args`);
  if (!existsSync(path)) return ['--registry', 'my.registry'];
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

describe('render cases', () => {
  it('there are cases, each with its expected output', () => {
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const out = existsSync(join(dir, `${name}.out.yaml`));
      expect(out !== existsSync(join(dir, `${name}.err.txt`)), `${name}: one of .out.yaml or .err.txt`).toBe(true);
    }
  });

  for (const name of names.filter((n) => existsSync(join(dir, `${n}.err.txt`)))) {
    it(`${name} (refused)`, async () => {
      const input = readFileSync(join(dir, `${name}.in.yaml`), 'utf8');
      const expected = readFileSync(join(dir, `${name}.err.txt`), 'utf8');
      for (const command of [[], ['images'], ['check']]) {
        const result = await runCli([...command, ...argsOf(name)], { input });
        expect(result.exitCode, `${command[0] ?? 'render'}: ${result.stderr}`).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe(expected);
      }
    });
  }

  for (const name of names.filter((n) => existsSync(join(dir, `${n}.out.yaml`)))) {
    it(name, async () => {
      const args = [...argsOf(name), '-q'];
      const input = readFileSync(join(dir, `${name}.in.yaml`), 'utf8');
      const result = await runCli(args, { input });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toBe(readFileSync(join(dir, `${name}.out.yaml`), 'utf8'));
      expect((await runCli(args, { input: result.stdout })).stdout).toBe(result.stdout);
    });
  }
});
