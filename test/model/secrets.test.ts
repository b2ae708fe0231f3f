import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingWriter } from '../../src/model/recordingWriter.js';
import { maskUrlPasswords, SECRET_PATH, urlPassword } from '../../src/model/secrets.js';
import { validateSample } from '../../src/model/validateSample.js';
import { processTerminal } from '../../src/run/terminal.js';
import { ReportCollector } from '../../src/sinks/report/reportData.js';
import { renderReport } from '../../src/sinks/report/renderReport.js';

describe('secrets in text', () => {
  it.each([
    ['http://user:pw@host:8086/write', 'http://user:***@host:8086/write'],
    [
      'error at https://a.b:p%40ss@influx.example:443/api?x=1 (503)',
      'error at https://a.b:***@influx.example:443/api?x=1 (503)',
    ],
    ['kafka://:token@broker:9092', 'kafka://:***@broker:9092'],
    ['two: http://a:one@h1 and http://b:two@h2', 'two: http://a:***@h1 and http://b:***@h2'],
  ])('masks the password of a URL: %s', (text, expected) => {
    expect(maskUrlPasswords(text)).toBe(expected);
  });

  it.each(['http://host:8086/write', 'mailto:user@example.com', 'user@host', 'http://user@host/x', 'a:b@c'])(
    'leaves text without a URL password as it is: %s',
    (text) => {
      expect(maskUrlPasswords(text)).toBe(text);
      expect(urlPassword(text)).toBeNull();
    },
  );

  it('finds the password of a URL, so it can be masked wherever else it appears', () => {
    expect(urlPassword('http://user:pw%21x@host')).toBe('pw%21x');
    expect(urlPassword('http://user:@host')).toBeNull();
  });

  it('names secret fields by their path', () => {
    for (const path of ['transport.sasl.password', 'sinks.influx.token', 'target.headers.Authorization', 'apiKey'])
      expect(SECRET_PATH.test(path)).toBe(true);
    for (const path of ['sinks.influx.url', 'target.url', 'rules[0].name']) expect(SECRET_PATH.test(path)).toBe(false);
  });

  it('finds a password whatever was asked before (no shared regex state)', () => {
    const text = 'http://a:one@h and http://b:two@h';
    expect(maskUrlPasswords(text)).toBe('http://a:***@h and http://b:***@h');
    expect(urlPassword(text)).toBe('one');
    expect(urlPassword(text)).toBe('one');
  });

  it('masks a URL password in a tag value as it enters the model, so no sink or recording sees it', async () => {
    const sample = validateSample({ ts: 0, metric: 'm', value: 1, tags: { endpoint: 'https://svc:hunter2@api/x' } });
    expect(sample.tags).toEqual({ endpoint: 'https://svc:***@api/x' });
    const file = join(mkdtempSync(join(tmpdir(), 'soakstream-secrets-')), 'r.avro');
    const writer = await RecordingWriter.open(file);
    await writer.write({ ts: 0, metric: 'm', value: 1, tags: { endpoint: 'https://svc:hunter2@api/x' } });
    await writer.close();
    expect(readFileSync(file).includes('hunter2')).toBe(false);
  });

  it('masks URL passwords in every line the terminal prints and in the report', () => {
    const written: string[] = [];
    const stream = { isTTY: false, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const terminal = processTerminal(stream, stream);
    terminal.line('target http://u:hunter2@localhost:8080 ready');
    terminal.summary('influx http://u:hunter2@db');
    terminal.status('writing to http://u:hunter2@db');
    terminal.alert('alert on http://u:hunter2@x');
    expect(written.join('')).not.toContain('hunter2');
    expect(written.join('')).toContain('http://u:***@localhost:8080');
    const html = renderReport(new ReportCollector({ title: 'soak of http://u:hunter2@api' }).data());
    expect(html).not.toContain('hunter2');
    expect(html).toContain('soak of http://u:***@api');
  });
});
