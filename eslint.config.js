// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Node's globals, for the plain .mjs scripts (TypeScript files get them from @types/node).
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'URL', 'URLSearchParams', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
    'setImmediate', 'clearImmediate', 'queueMicrotask', 'performance', 'AbortController', 'AbortSignal', 'TextEncoder',
    'TextDecoder', 'structuredClone', 'fetch'].map((g) => [g, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: nodeGlobals },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Engine time must go through the Clock (STYLE.md); only the real clock may touch timers.
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval'],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Use the Clock.' }],
    },
  },
  {
    files: ['src/clock/real-clock.ts', '**/*.test.ts', 'test/**', 'src/test-support/**', 'bench/**', 'bin/**', 'scripts/**', 'examples/**'],
    rules: { 'no-restricted-globals': 'off', 'no-restricted-properties': 'off' },
  },
);
