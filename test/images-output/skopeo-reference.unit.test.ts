// src/images-output/skopeo-reference.ts and shell-quote.ts in process (reached only through `images -o skopeo` and
// `-o script`): skopeo refuses a reference with both a tag and a digest, and the script's words must stay words.
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/images-output/shell-quote.js';
import { skopeoDestination, skopeoSource } from '../../src/images-output/skopeo-reference.js';

const digest = `sha256:${'a'.repeat(64)}`;

describe('skopeo references', () => {
  it('a pinned source is copied by its digest alone; its copy is written under the tag when there is one', () => {
    expect(skopeoSource(`docker.elastic.co/kibana/kibana:8.16.1@${digest}`)).toBe(
      `docker.elastic.co/kibana/kibana@${digest}`,
    );
    expect(skopeoDestination(`my.registry/kibana/kibana:8.16.1@${digest}`)).toBe('my.registry/kibana/kibana:8.16.1');
    expect(skopeoDestination(`my.registry/kibana/kibana@${digest}`)).toBe(`my.registry/kibana/kibana@${digest}`);
  });

  it('a tag alone stays as written; what does not parse is passed through for skopeo to refuse', () => {
    expect(skopeoSource('docker.elastic.co/kibana/kibana:8.16.1')).toBe('docker.elastic.co/kibana/kibana:8.16.1');
    expect(skopeoDestination('my.registry:5000/kibana/kibana:8.16.1')).toBe('my.registry:5000/kibana/kibana:8.16.1');
    expect(skopeoSource('Not An Image')).toBe('Not An Image');
  });
});

describe('shellQuote', () => {
  it("safe words as they are; anything else in single quotes, a quote as '\\''", () => {
    expect(shellQuote(`docker://my.registry:5000/kibana/kibana@${digest}`)).toBe(
      `docker://my.registry:5000/kibana/kibana@${digest}`,
    );
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('$(rm -rf /)')).toBe("'$(rm -rf /)'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('line\nbreak')).toBe("'line\nbreak'");
  });
});
