// Lint enforces the layer arrows of DESIGN.md (import/no-restricted-paths),
// next to the per-layer tsconfigs that do the same at compile time.
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results/**', 'build/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs'] } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './main/core',
              from: ['./main/app', './main/serve', './main/cli', './renderer', './preload'],
              message: 'main/core is plain Node: it never imports app, serve, cli, preload or renderer.',
            },
            {
              target: './main/contract',
              from: ['./main/core', './main/app', './main/serve', './main/cli', './renderer', './preload', './workers'],
              message: 'main/contract imports nothing but zod.',
            },
            {
              target: './renderer',
              from: ['./main/core', './main/app', './main/serve', './main/cli', './preload', './workers'],
              message: 'The renderer talks only to the contract api object.',
            },
            {
              target: './main/serve',
              from: ['./main/app', './main/cli', './renderer', './preload'],
              message: 'main/serve depends on core and contract only.',
            },
            {
              target: './main/app',
              from: ['./main/serve', './main/cli', './renderer'],
              message: 'main/app depends on core and contract only.',
            },
            {
              target: './preload',
              from: ['./main/core', './main/app', './main/serve', './main/cli', './renderer', './workers'],
              message: 'preload imports only electron and main/contract.',
            },
            {
              target: './workers',
              from: ['./main/app', './main/serve', './main/cli', './renderer', './preload'],
              message: 'workers run in child processes; they may share core helpers but no UI layer.',
            },
          ],
        },
      ],
    },
  },
  {
    // No floating promises in the main process, the workers or the preload: work nobody awaits goes
    // through detach() (main/core/errors.ts) or has its own rejection handler. `void p` is no escape.
    files: ['main/**/*.ts', 'workers/**/*.ts', 'preload/**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.core.json', './tsconfig.node.json', './tsconfig.app.json', './tsconfig.contract.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['main/core/**', 'main/serve/**', 'main/cli/**', 'workers/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', 'react', 'react-dom', 'recharts'] }],
    },
  },
  {
    files: ['main/contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron', 'react', ...nodeBuiltins], patterns: [{ regex: '^(?!zod$|\./)', message: 'main/contract imports nothing but zod.' }] },
      ],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins],
          patterns: [
            {
              group: ['**/main/contract', '**/main/contract/**'],
              allowTypeImports: true,
              message: 'The renderer imports from main/contract with `import type` only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
