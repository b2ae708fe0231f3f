// ESLint flat config. Besides typescript-eslint's recommended rules it enforces the
// one-direction layering of DESIGN.md: stats <- model <- detectors <- rules <- analysis <-
// operators <- transport, sources, sinks <- config <- run <- cli, with no RxJS in the per-sample
// layers and all I/O kept in transport, sources, sinks, config, run and cli.
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
// Node modules that do I/O: code on event time may hash (node:crypto) but not touch files or sockets.
const nodeIo = [
  'node:fs',
  'node:fs/*',
  'node:net',
  'node:http',
  'node:https',
  'node:child_process',
  'node:zlib',
  'node:os',
  'node:dgram',
  'node:tls',
  'node:readline',
  'node:stream',
  'node:worker_threads',
  'node:timers',
  'node:timers/*',
];
const noIo = [...ioPatterns.filter((p) => p !== 'node:*'), ...nodeIo];

/**
 * A layer's import rules: nothing from the folders above it (DESIGN.md, "Layers"), and optionally
 * no I/O or RxJS modules, and no wall clock or timers in code that runs on event time.
 */
function layer(folder, { above, why, banned = [], bannedPatterns = [], eventTime = false }) {
  const aboveGroups = above.flatMap((name) => [`../${name}/*`, `../../${name}/*`, `../../../${name}/*`]);
  return [
    {
      files: [`${folder}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: banned.map((name) => ({ name, message: why })),
            patterns: [
              { group: ['rxjs/internal/*'], message: 'Use the public rxjs API.' },
              ...(bannedPatterns.length > 0 ? [{ group: bannedPatterns, message: why }] : []),
              { group: aboveGroups, message: why },
            ],
          },
        ],
        ...(eventTime
          ? {
              'no-restricted-properties': [
                'error',
                { object: 'Date', property: 'now', message: 'This layer runs on event time only.' },
              ],
              'no-restricted-globals': [
                'error',
                { name: 'setTimeout', message: 'This layer runs on event time only.' },
                { name: 'setInterval', message: 'This layer runs on event time only.' },
              ],
            }
          : {}),
      },
    },
  ];
}

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
      // Prettier formats to 120 columns; this catches what it cannot break (comments, strings).
      'max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
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
  ...layer('src/model', {
    above: ['detectors', 'rules', 'analysis', 'operators', 'transport', 'sources', 'sinks', 'run', 'config', 'cli'],
    why: 'src/model sits below every other layer except stats.',
    banned: ['rxjs', 'kafkajs', 'undici', 'commander'],
  }),
  // Detectors, rules and the analysis are plain synchronous code: no RxJS, no I/O, event time only.
  ...['detectors', 'rules', 'analysis'].map((folder, index) =>
    layer(`src/${folder}`, {
      above: [
        ...['rules', 'analysis'].slice(index),
        'operators',
        'transport',
        'sources',
        'sinks',
        'run',
        'config',
        'cli',
      ],
      why: `src/${folder} runs per sample without RxJS or I/O (DESIGN.md, layers).`,
      banned: [...ioModules, 'rxjs'],
      bannedPatterns: [...noIo, 'rxjs/*'],
      eventTime: true,
    }),
  ),
  layer('src/operators', {
    above: ['transport', 'sources', 'sinks', 'run', 'config', 'cli'],
    why: 'Operators are the RxJS face of the processors: no I/O.',
    banned: ioModules,
    bannedPatterns: noIo,
    eventTime: true,
  }),
  ...['transport', 'sources', 'sinks'].map((folder) =>
    layer(`src/${folder}`, {
      above: ['run', 'config', 'cli'],
      why: `src/${folder} sits below the run session, config and the CLI.`,
    }),
  ),
  layer('src/config', {
    above: ['run', 'cli'],
    why: 'Config decodes files; the run session and the CLI use it, not the other way round.',
  }),
  layer('src/run', {
    above: ['cli'],
    why: 'The CLI parses arguments and prints; the session never calls back into it.',
  }),
);
