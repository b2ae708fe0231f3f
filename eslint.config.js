// ESLint flat config. Besides typescript-eslint's recommended rules it enforces the
// one-direction layering of DESIGN.md: stats <- model <- operators <- pipeline <- cli,
// with all I/O kept in sources, sinks, config and cli.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = [
  'kafkajs',
  'avsc',
  'undici',
  'yaml',
  'commander',
  'pino',
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'child_process',
  'dgram',
  'tls',
  'zlib',
  'readline',
  'stream',
  'os',
  'worker_threads',
];
const ioPatterns = ['node:*', '@influxdata/*', 'kafkajs/*', 'avsc/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'soak-report/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JavaScript examples run on Node.js as they are.
    files: ['examples/**/*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'Buffer', 'URL', 'performance', 'setTimeout', 'clearTimeout'].map((name) => [
          name,
          'readonly',
        ]),
      ),
    },
  },
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['rxjs/internal/*'], message: 'Use the public rxjs API.' }] },
      ],
    },
  },
  {
    // Statistics kernels are pure numeric code: no RxJS, no I/O, nothing from other layers.
    files: ['src/stats/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...ioModules, 'rxjs'].map((name) => ({ name, message: 'src/stats must stay pure: no RxJS or I/O.' })),
          patterns: [
            { group: [...ioPatterns, 'rxjs/*'], message: 'src/stats must stay pure: no RxJS or I/O.' },
            { group: ['../*', '../../*'], message: 'src/stats imports nothing from other layers.' },
          ],
        },
      ],
    },
  },
  {
    // The model layer holds types and codecs; it never depends on the stream layers.
    files: ['src/model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['rxjs', 'kafkajs', 'undici', 'commander'].map((name) => ({
            name,
            message: 'src/model may not depend on stream or transport code.',
          })),
          patterns: [
            {
              group: ['../operators/*', '../sources/*', '../sinks/*', '../pipeline/*', '../cli/*', '../config/*'],
              message: 'src/model sits below every other layer except stats.',
            },
          ],
        },
      ],
    },
  },
  {
    // Operators are pure RxJS over kernels: event time only, no I/O.
    files: ['src/operators/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({ name, message: 'Operators do no I/O; put it in sources or sinks.' })),
          patterns: [
            { group: ['rxjs/internal/*'], message: 'Use the public rxjs API.' },
            {
              group: ioPatterns.filter((p) => p !== 'node:*'),
              message: 'Operators do no I/O; put it in sources or sinks.',
            },
            {
              group: [
                'node:fs',
                'node:fs/*',
                'node:net',
                'node:http',
                'node:https',
                'node:child_process',
                'node:zlib',
                'node:os',
              ],
              message: 'Operators do no I/O.',
            },
            {
              group: ['../sources/*', '../sinks/*', '../pipeline/*', '../cli/*', '../config/*'],
              message: 'Operators sit below sources, sinks, pipeline, config and cli.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Operators run on event time only.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Operators run on event time only.' },
        { name: 'setInterval', message: 'Operators run on event time only.' },
      ],
    },
  },
);
