// examples/http-soak.yaml written with the typed fluent API: the same scenario, built in code.
//
//   npx tsx examples/http-soak.ts          prints it as YAML (what `soakstream run` reads)
//   npx tsx examples/http-soak.ts --json   prints it as JSON
//   npx tsx examples/http-soak.ts --run    runs it in this process, as `soakstream run` would
//
// `${VAR:-default}` references stay in the document and are filled in from the environment when
// the scenario is built or run, so exported files never hold secrets.
import { fileURLToPath } from 'node:url';
import { processTerminal, runScenario, scenario } from 'soakstream';

const url = '${SOAK_URL:-http://127.0.0.1:8089}';
const rate = '${SOAK_RATE:-20}';

export const httpSoak = scenario('http-soak')
  .describe('Steady open-model load against one URL with the default detection rules')
  .tags({ target: url })
  .target(url)
  .get('page', '${SOAK_PATH:-/}', {
    headers: { accept: '*/*' },
    expectStatus: [200, 204, 301, 302, 304],
    timeout: '10s',
  })
  .openLoad({ duration: '2m', rate: `1..${rate}/s` }, { duration: '${SOAK_DURATION:-30m}', rate: `${rate}/s` })
  .maxInFlight(500)
  .probes({ self: true, host: true, interval: '5s' })
  .criteria('p95 < 500ms', 'p99 < 2s', 'errors < 1%')
  .sinks({
    console: { summaryEvery: '1m' },
    report: { path: 'soak-report/http-soak.html', title: `HTTP soak of ${url}` },
    recording: { dir: 'soak-report', prefix: 'http-soak' },
  });

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--run')) {
    const { scenario: built } = await httpSoak.build();
    const result = await runScenario(built, { failOn: 'firing', terminal: processTerminal() });
    process.exitCode = result.exitCode;
  } else {
    process.stdout.write(process.argv.includes('--json') ? httpSoak.toJSON() : httpSoak.toYAML());
  }
}
