/** What render did, for the short report on stderr. */

export type ChangeKind = 'set' | 'moved' | 'left' | 'on-mirror' | 'pull-secrets' | 'operator-config';

export interface Change {
  readonly kind: ChangeKind;
  /** `document 3 (chart/templates/es.yaml): Elasticsearch ns/name`. */
  readonly where: string;
  readonly field: string;
  readonly from?: string | undefined;
  readonly to?: string;
}

export class Report {
  readonly changes: Change[] = [];
  readonly warnings: string[] = [];

  add(change: Change): void {
    this.changes.push(change);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  count(kind: ChangeKind): number {
    return this.changes.filter((c) => c.kind === kind).length;
  }

  /** A few lines: the totals, then each image left where it was, then warnings. */
  format(): string {
    const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
    const lines = [
      `eck-airgap: ${plural(this.count('moved'), 'image')} moved, ${this.count('set')} spec.image set, ` +
        `${this.count('on-mirror')} already on the mirror, ${this.count('left')} left as they were, ` +
        `pull secrets added to ${plural(this.count('pull-secrets'), 'pod template')}` +
        (this.count('operator-config') ? `, operator configuration updated` : ''),
    ];
    for (const c of this.changes) {
      if (c.kind === 'left')
        lines.push(`  left: ${c.from}: ${leftAt(c)}: not on a source registry and no mirror is configured for it`);
    }
    for (const w of this.warnings) lines.push(`  warning: ${w}`);
    return lines.join('\n') + '\n';
  }
}

/**
 * Where an image was left, as `check` names a use: `Deployment ns/name, <field> [document 4 (chart/templates/x.yaml)]`
 * (no parentheses inside parentheses).
 */
function leftAt(c: Change): string {
  const m = /^((?:.+: )?document \d+(?: \([^()]*\))?): (.+)$/.exec(c.where);
  return m ? `${m[2]}, ${c.field} [${m[1]}]` : `${c.where}, ${c.field}`;
}
