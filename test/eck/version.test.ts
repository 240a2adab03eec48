import { describe, it, expect } from 'vitest';
import { compareVersions, isBelow, isBelowMinFor, parseVersion, type StackVersion } from '../../src/eck/version.js';

function v(text: string): StackVersion {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`test version ${text} does not parse`);
  return parsed;
}

describe('parseVersion', () => {
  it.each([
    ['8.16.0', 8, 16, 0, [], []],
    ['7.17.16', 7, 17, 16, [], []],
    ['0.0.0', 0, 0, 0, [], []],
    ['9.0.0-SNAPSHOT', 9, 0, 0, ['SNAPSHOT'], []],
    ['8.12.0-rc.1', 8, 12, 0, ['rc', '1'], []],
    ['8.12.0-0', 8, 12, 0, ['0'], []],
    ['8.12.0-alpha-1.x-y', 8, 12, 0, ['alpha-1', 'x-y'], []],
    ['8.12.0+build.5', 8, 12, 0, [], ['build', '5']],
    ['8.12.0-SNAPSHOT+001', 8, 12, 0, ['SNAPSHOT'], ['001']],
    ['10.20.30', 10, 20, 30, [], []],
  ])('%s', (text, major, minor, patch, prerelease, build) => {
    expect(parseVersion(text)).toEqual({ major, minor, patch, prerelease, build, text });
  });

  it.each([
    '',
    '8',
    '8.16',
    'v8.16.0',
    '8.16.0.1',
    ' 8.16.0',
    '8.16.0 ',
    '08.16.0',
    '8.016.0',
    '8.16.00',
    '8.16.0-',
    '8.16.0+',
    '8.16.0-01',
    '8.16.0-a..b',
    '8.16.0-a_b',
    '8.16.0+a..b',
    '8.16.x',
    'latest',
    '-8.16.0',
    '99999999999999999999.0.0',
  ])('rejects %j', (text) => {
    expect(parseVersion(text)).toBeUndefined();
  });

  it('keeps the text as written', () => {
    expect(v('8.16.0-SNAPSHOT+abc').text).toBe('8.16.0-SNAPSHOT+abc');
  });
});

describe('compareVersions', () => {
  // Each list is in ascending semver precedence (the semver 2.0.0 spec example plus stack versions).
  const ascending = [
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '7.17.15',
    '7.17.16-SNAPSHOT',
    '7.17.16',
    '8.9.0',
    '8.11.4',
    '8.12.0-0',
    '8.12.0-SNAPSHOT',
    '8.12.0',
    '8.12.1',
    '8.100.0',
    '9.0.0-SNAPSHOT',
    '9.0.0',
    '10.0.0',
  ];
  it('orders by precedence', () => {
    for (let i = 0; i < ascending.length; i++) {
      for (let j = 0; j < ascending.length; j++) {
        const a = v(ascending[i] ?? '');
        const b = v(ascending[j] ?? '');
        expect(Math.sign(compareVersions(a, b)), `${a.text} vs ${b.text}`).toBe(Math.sign(i - j));
      }
    }
  });

  it.each([
    ['8.12.0+a', '8.12.0+b'],
    ['8.12.0', '8.12.0+build'],
    ['8.12.0-SNAPSHOT+1', '8.12.0-SNAPSHOT'],
  ])('ignores build metadata: %s == %s', (a, b) => {
    expect(compareVersions(v(a), v(b))).toBe(0);
  });

  it('compares long numeric pre-release identifiers numerically', () => {
    expect(compareVersions(v('1.0.0-123456789012345678901'), v('1.0.0-99999999999999999999'))).toBeGreaterThan(0);
    expect(compareVersions(v('1.0.0-2'), v('1.0.0-10'))).toBeLessThan(0);
  });

  it('orders alphanumeric identifiers by ASCII (uppercase before lowercase)', () => {
    expect(compareVersions(v('1.0.0-SNAPSHOT'), v('1.0.0-alpha'))).toBeLessThan(0);
  });
});

describe('isBelow (semver: pre-releases of the release are below it)', () => {
  it.each([
    ['8.11.4', 8, 12, 0, true],
    ['8.12.0-SNAPSHOT', 8, 12, 0, true],
    ['8.12.0', 8, 12, 0, false],
    ['8.12.0+build', 8, 12, 0, false],
    ['8.12.1', 8, 12, 0, false],
    ['9.0.0-SNAPSHOT', 9, 0, 0, true],
    ['9.0.0', 9, 0, 0, false],
    ['7.99.99', 8, 0, 0, true],
    ['10.0.0', 9, 2, 2, false],
  ] as const)('%s below %i.%i.%i is %s', (text, major, minor, patch, below) => {
    expect(isBelow(v(text), major, minor, patch)).toBe(below);
  });
});

// ECK v2.10.0..v3.5.0 pkg/controller/common/version/version.go: MinFor(M, m, p) = M.m.p-1
// (minPreReleaseVersion = mustNewPRVersion("1")), so the pre-release 0 sorts below it.
describe('isBelowMinFor (ECK MinFor is X.Y.Z-1: pre-releases of the release but -0 are NOT below it)', () => {
  it.each([
    ['8.11.4', 8, 12, 0, true],
    ['8.11.99-SNAPSHOT', 8, 12, 0, true],
    ['8.12.0-SNAPSHOT', 8, 12, 0, false],
    ['8.12.0-0', 8, 12, 0, true],
    ['8.12.0-0.9', 8, 12, 0, true],
    ['8.12.0-1', 8, 12, 0, false],
    ['8.12.0-1.0', 8, 12, 0, false],
    ['8.12.0-2', 8, 12, 0, false],
    ['8.12.0-alpha', 8, 12, 0, false],
    ['8.16.0-0', 8, 16, 0, true],
    ['7.17.16-0', 7, 17, 16, true],
    ['8.12.0', 8, 12, 0, false],
    ['7.17.15', 7, 17, 16, true],
    ['7.17.16-SNAPSHOT', 7, 17, 16, false],
    ['7.18.0', 7, 17, 16, false],
    ['6.8.0', 7, 17, 16, true],
    ['9.0.0', 8, 16, 0, false],
  ] as const)('%s below MinFor(%i.%i.%i) is %s', (text, major, minor, patch, below) => {
    expect(isBelowMinFor(v(text), major, minor, patch)).toBe(below);
  });
});
