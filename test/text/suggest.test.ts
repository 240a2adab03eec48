// src/text/suggest.ts in process (reached before only through the CLI's typo messages for flags, commands, config
// keys and ECK_AIRGAP_* variables).
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggest } from '../../src/text/suggest.js';

describe('editDistance (optimal string alignment)', () => {
  it('counts inserts, deletes, substitutions and a swap of neighbours as one edit each', () => {
    expect(editDistance('mirrors', 'mirrors')).toBe(0);
    expect(editDistance('mirors', 'mirrors')).toBe(1);
    expect(editDistance('mirrorss', 'mirrors')).toBe(1);
    expect(editDistance('mirrxrs', 'mirrors')).toBe(1);
    expect(editDistance('mirorrs', 'mirrors')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('suggest and didYouMean', () => {
  const keys = ['registry', 'repository', 'imagePullSecrets', 'mirrors', 'suffix', 'strict'];

  it('the closest names, case and -/_ ignored; a name held whole by another counts', () => {
    expect(suggest('regsitry', keys)).toEqual(['registry']);
    expect(suggest('IMAGE_PULL_SECRETS', keys)).toEqual(['imagePullSecrets']);
    expect(suggest('pullSecrets', keys)).toEqual(['imagePullSecrets']);
    expect(suggest('MIRORS', keys)).toEqual(['mirrors']);
  });

  it('nothing for what is not close, for an empty word, and no name twice', () => {
    expect(suggest('kubeconfig', keys)).toEqual([]);
    expect(suggest('', keys)).toEqual([]);
    expect(suggest('-_', keys)).toEqual([]);
    expect(suggest('strcit', ['strict', 'strict'])).toEqual(['strict']);
  });

  it('the phrase: every equally close name, or nothing', () => {
    expect(didYouMean('sufix', keys)).toBe(' (did you mean suffix?)');
    expect(didYouMean('zzz', keys)).toBe('');
    expect(didYouMean('ab', ['ac', 'ad'])).toBe(' (did you mean ac or ad?)');
  });
});
