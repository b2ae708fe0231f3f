import { describe, expect, it } from 'vitest';
import { maskUrlPasswords, SECRET_PATH, urlPassword } from '../../src/model/secrets.js';

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
});
