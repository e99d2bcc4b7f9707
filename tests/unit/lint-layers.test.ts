/** The layer rules of DESIGN.md, checked by running ESLint on small probes in each layer. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function ruleHits(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it('refuses electron in services/ and renderer/', async () => {
    expect(await ruleHits('services/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await ruleHits('renderer/probe.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toHaveLength(1);
  });

  it('refuses Node built-ins and services runtime code in renderer/, but allows type imports of the contract', async () => {
    expect(await ruleHits('renderer/probe.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toHaveLength(1);
    expect(await ruleHits('renderer/probe.ts', "import path from 'path';\nexport const a = path;\n")).toHaveLength(1);
    expect(await ruleHits('renderer/probe.ts', "import { Host } from '../services/host/host';\nexport const a = Host;\n")).toHaveLength(1);
    expect(await ruleHits('renderer/probe.ts', "import { checkCommand } from '../services/contract';\nexport const a = checkCommand;\n")).toHaveLength(1);
    expect(await ruleHits('renderer/probe.ts', "import type { Result } from '../services/contract';\nexport type A = Result<number>;\n")).toEqual([]);
  });

  it('keeps shared/ runnable on both sides: no Node built-ins, no runtime code from services/ or renderer/, types are fine', async () => {
    expect(await ruleHits('shared/probe.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toHaveLength(1);
    expect(await ruleHits('shared/probe.ts', "import { Ledger } from '../services/ledger/ledger.js';\nexport const a = Ledger;\n")).toHaveLength(1);
    expect(await ruleHits('shared/probe.ts', "import { App } from '../renderer/App';\nexport const a = App;\n")).toHaveLength(1);
    expect(await ruleHits('shared/probe.ts', "import type { PnlFigures } from '../services/contract-views.js';\nexport type A = PnlFigures;\n")).toEqual([]);
  });

  it('keeps all of ethers out of the services host: subpaths only, ethers/providers as types (it loads on the first RPC call)', async () => {
    expect(await ruleHits('services/probe.ts', "import { getAddress } from 'ethers';\nexport const a = getAddress;\n")).toHaveLength(1);
    expect(await ruleHits('services/probe.ts', "import { JsonRpcProvider } from 'ethers/providers';\nexport const a = JsonRpcProvider;\n")).toHaveLength(1);
    expect(await ruleHits('services/probe.ts', "import { getAddress } from 'ethers/address';\nexport const a = getAddress;\n")).toEqual([]);
    expect(await ruleHits('services/probe.ts', "import type { JsonRpcProvider } from 'ethers/providers';\nexport type A = JsonRpcProvider;\n")).toEqual([]);
  });

  it('lets electron/ import electron', async () => {
    expect(await ruleHits('electron/main/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
  });
});
