// Prints the configuration table of README.md from the config schema, so docs match the code:
//   npx tsx scripts/settings-table.ts
// tests/unit/docs.test.ts fails when the README's table falls behind the schema.
import { SETTING_KEYS, envNamesFor, getDef } from '../services/config/schema.js';

export function settingsTable(): string {
  const rows = SETTING_KEYS.map((key) => {
    const def = getDef(key);
    const value = def.secret ? '*(secret)*' : `\`${JSON.stringify(def.default)}\``;
    const env = envNamesFor(key).map((n) => `\`${n}\``).join(', ');
    const flag = def.flag ? `\`${def.flag}\`` : '';
    return `| \`${key}\` | ${value} | ${env} | ${flag} | ${def.description.replace(/\|/g, '\\|')} |`;
  });
  return ['| Setting (config.json key) | Default | Environment variables | Flag | What it does |', '|---|---|---|---|---|', ...rows].join('\n');
}

if (process.argv[1]?.endsWith('settings-table.ts')) console.log(settingsTable());
