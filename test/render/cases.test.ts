// Hand-made render cases (charts-test/cases/render): NAME.in.yaml through the real CLI with NAME.args must give
// NAME.out.yaml byte for byte, and rendering that again must change nothing.
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
    for (const name of names) expect(existsSync(join(dir, `${name}.out.yaml`)), name).toBe(true);
  });

  for (const name of names) {
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
