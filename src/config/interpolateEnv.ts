import { maskUrlPasswords, SECRET_PATH, urlPassword } from '../model/secrets.js';

/** The result of {@link interpolateEnv}: the document, the problems, and the values taken from the environment. */
export interface Interpolated {
  readonly value: unknown;
  /** `path: message` for each `${NAME}` that is not set and has no default. */
  readonly problems: readonly string[];
  /** The values of secret fields (passwords, tokens, SASL, request headers), masked wherever text is printed. */
  readonly secrets: ReadonlySet<string>;
}

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

const childPath = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string of a parsed YAML/JSON document with
 * the environment's value (`$${` is a literal `${`). Substitution happens on parsed strings, so an
 * environment value cannot change the document's structure. A string that is exactly one
 * reference to a number-like value stays a string; codecs that want numbers accept numeric
 * strings where it matters (ports, counts). The final values of secret fields (by path: passwords,
 * tokens, SASL settings, request headers) are collected, so error messages and printed
 * configurations can mask them.
 */
export function interpolateEnv(
  document: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Interpolated {
  const problems: string[] = [];
  const secrets = new Set<string>();
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      const value = node.replace(REFERENCE, (whole, name: string | undefined, fallback: string | undefined) => {
        if (name === undefined) return '${';
        const value = env[name];
        if (value !== undefined && value !== '') return value;
        if (fallback !== undefined) return fallback;
        problems.push(
          `${path === '' ? '(top level)' : path}: environment variable ${name} is not set ` +
            `(write \${${name}:-default} to give a default)`,
        );
        return whole;
      });
      if (SECRET_PATH.test(path) && value !== '') secrets.add(value);
      const password = urlPassword(value);
      if (password !== null) secrets.add(password);
      return value;
    }
    // A secret field holds a secret whatever its type (a numeric password or token).
    if ((typeof node === 'number' || typeof node === 'bigint') && SECRET_PATH.test(path)) secrets.add(String(node));
    if (Array.isArray(node)) return node.map((item, i) => walk(item, childPath(path, i)));
    if (typeof node === 'object' && node !== null)
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value, childPath(path, key))]));
    return node;
  };
  return { value: walk(document, ''), problems, secrets };
}

/**
 * Replaces every secret in `text` with `***` (longest first, so a secret containing another is
 * masked whole), and the password of every URL in it.
 */
export function redact(text: string, secrets: ReadonlySet<string>): string {
  let result = maskUrlPasswords(text);
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    // Short values (a port, "true") are not secrets worth masking and would garble messages.
    if (secret.length >= 4) result = result.split(secret).join('***');
  }
  return result;
}
