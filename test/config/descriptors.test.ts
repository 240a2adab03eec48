// The settings descriptor table is the one place a setting is declared: the README table, the JSON Schema, the
// command-line options and the environment names all follow from it.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTING_KEYS, SETTINGS, settingsTableRows } from '../../src/config/descriptors.js';
import { Option } from 'commander';
import { repoRoot, runCli } from '../support/cli.js';

describe('settings descriptor table', () => {
  it("README's configuration table is the table generated from the descriptors", () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(`| --- | --- | --- | --- | --- |\n${settingsTableRows()}\n| — | \`-q, --quiet\``);
  });

  it("each descriptor's option attribute is the one commander derives from its flag", () => {
    for (const key of SETTING_KEYS)
      expect(new Option(SETTINGS[key].flag).attributeName(), key).toBe(SETTINGS[key].option);
  });

  it('every setting is in the JSON Schema with its description, and in --help with its flag', async () => {
    const schema = await runCli(['schema']);
    expect(schema.exitCode).toBe(0);
    const properties = (JSON.parse(schema.stdout) as { properties: Record<string, { description?: string }> })
      .properties;
    expect(Object.keys(properties)).toEqual(SETTING_KEYS);
    for (const key of SETTING_KEYS) expect(properties[key]!.description).toBe(SETTINGS[key].description);
    const help = await runCli(['images', '--help']);
    const registryHelp = [(await runCli(['mirror', '--help'])).stdout, (await runCli(['verify', '--help'])).stdout];
    for (const key of SETTING_KEYS) {
      const d: { flagName: string; scope?: string } = SETTINGS[key];
      // the registry access settings are mirror's and verify's flags only
      if (d.scope === 'registry access') {
        for (const text of registryHelp) expect(text, key).toContain(d.flagName);
        expect(help.stdout, key).not.toContain(d.flagName);
      } else expect(help.stdout, key).toContain(d.flagName);
    }
  });

  it('every setting is read from its environment variable, with its name in messages', async () => {
    for (const key of SETTING_KEYS) {
      const name = `ECK_AIRGAP_${SETTINGS[key].env}`;
      // A value no setting accepts (except free-form ones): the message names the variable.
      const r = await runCli(['images', '--registry', 'my.registry', '-'], {
        input: '',
        env: { [name]: 'NOT VALID;' },
      });
      if (r.exitCode === 0) continue; // free-form lists can take it; the variable was read without complaint
      expect(r.exitCode, key).toBe(2);
      expect(r.stderr, key).toContain(name);
    }
    const ok = await runCli(['images', '--registry', 'my.registry', '-'], {
      input: 'apiVersion: agent.k8s.elastic.co/v1alpha1\nkind: Agent\nmetadata:\n  name: a\nspec:\n  version: 9.0.0\n',
      env: { ECK_AIRGAP_ECK_VERSION: '2.16.1' },
    });
    expect(ok.stdout).toContain('docker.elastic.co/beats/elastic-agent:9.0.0');
  });
});
