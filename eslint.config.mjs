// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

/**
 * Who may import whom (docs/ARCHITECTURE.md). Each entry forbids imports for files of one layer; a
 * violation is an error and fails CI.
 */
const forbid = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
})

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
]

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...forbid(
        ['electron', 'electron/*', ...NODE_BUILTINS, '**/src-main/**', '**/src-preload/index*'],
        'The renderer reaches main only through the preload bridge: import the contract, never electron, node: or src-main.',
      ),
    },
  },
  {
    // Only the bridge module may touch window.qubs.
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/src/bridge/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'qubs', message: 'Use getBridge() from src-renderer/src/bridge.' },
      ],
    },
  },
  {
    files: ['src-preload/contract/**/*.ts'],
    rules: forbid(
      ['electron', 'electron/*', ...NODE_BUILTINS, '**/src-main/**', '**/src-renderer/**', 'react', 'undici'],
      'The contract is shared by main, preload and renderer: it imports zod only.',
    ),
  },
  {
    files: ['src-preload/*.ts'],
    rules: forbid(
      [...NODE_BUILTINS, '**/src-main/**', '**/src-renderer/**'],
      'The preload imports electron and the contract only.',
    ),
  },
  {
    files: ['src-main/core/**/*.ts', 'src-main/common/**/*.ts'],
    rules: forbid(
      ['electron', 'electron/*', '**/src-renderer/**', '**/electron/*', '**/sandbox/*', '**/sandbox'],
      'The core runs under plain Node: no electron, no renderer code, and no sandbox code (the sandbox is an independent peer).',
    ),
  },
  {
    files: ['src-main/cli/**/*.ts', 'src-main/harness/**/*.ts', 'src-main/workstation/**/*.ts'],
    rules: forbid(
      ['electron', 'electron/*', '**/src-renderer/**', '**/electron/*'],
      'The CLI, the browser harness and the workstation composition run under plain Node: no electron, no renderer code.',
    ),
  },
  {
    files: ['src-main/sandbox/**/*.ts'],
    rules: forbid(
      [
        'electron',
        'electron/*',
        '**/src-renderer/**',
        '**/core/*',
        '**/core/**',
        '**/electron/*',
        '**/src-preload/**',
      ],
      'The sandbox is written from the API documents alone: it shares no code with the client core and never needs electron.',
    ),
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'scripts/**/*.mjs', '*.config.{ts,mjs}'],
    rules: { 'no-console': 'off' },
  },
)
