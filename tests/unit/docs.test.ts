import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingsTable } from '../../scripts/settings-table.js';
import { buildProgram } from '../../services/cli/main-program.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README matches the code', () => {
  it('has the configuration table generated from the schema (npx tsx scripts/settings-table.ts)', () => {
    const between = readme.split('<!-- settings-table:start -->')[1]?.split('<!-- settings-table:end -->')[0]?.trim();
    expect(between).toBe(settingsTable());
  });

  it('documents every CLI command', () => {
    const names = buildProgram().commands.flatMap((c) => (c.commands.length ? c.commands.map((s) => `${c.name()} ${s.name()}`) : [c.name()]));
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(readme).toContain(`arbdesk ${name}`);
  });
});
