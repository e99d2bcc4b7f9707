// Lint rules that keep the layers apart (DESIGN.md "Process model"):
//  - services/ and renderer/ never import `electron`;
//  - renderer/ never imports Node built-ins or services runtime code (type imports are fine);
//  - services/ imports ethers by subpath, and ethers/providers only lazily (the host's heap).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronBan = { name: 'electron', message: 'Only electron/ may import electron (DESIGN.md: services/ and renderer/ stay Electron-free).' };

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['services/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            electronBan,
            // The host carries what it loads for its lifetime, and every major GC on the proxy's thread marks it again.
            { name: 'ethers', message: 'Import ethers by subpath (ethers/address, ethers/utils, ethers/hash, …): the whole library is ~4.8 MB of heap the host keeps for its lifetime.' },
            { name: 'ethers/providers', allowTypeImports: true, message: 'ethers/providers loads on the first RPC call (services/payments/crypto/evm-rpc.ts): import its types only.' },
          ],
        },
      ],
    },
  },
  {
    // shared/: pure code both the sandboxed renderer and the services host run.
    files: ['shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronBan, ...nodeBuiltins.map((name) => ({ name, message: 'shared/ also runs in the sandboxed renderer: no Node built-ins.' }))],
          patterns: [{ group: ['**/services/**', '**/renderer/**'], allowTypeImports: true, message: 'shared/ imports types only (the contract), never runtime code.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            electronBan,
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a sandboxed page: no Node built-ins.' })),
            { name: 'better-sqlite3', message: 'Database access belongs to the services host; use the contract.' },
          ],
          patterns: [
            {
              group: ['**/services/**', '!**/services/contract', '!**/services/contract.js'],
              message: 'The renderer may not import services runtime code; talk to the host through renderer/api.',
            },
            {
              group: ['**/services/contract', '**/services/contract.js'],
              allowTypeImports: true,
              message: 'Import the contract with `import type` only: the renderer gets no services runtime code.',
            },
          ],
        },
      ],
    },
  },
);
