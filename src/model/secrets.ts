/** Fields whose values are secrets wherever they come from: passwords, tokens, SASL settings, request headers. */
export const SECRET_PATH = /(password|passwd|token|secret|authorization|api_?key|credential|sasl|headers)/i;

// scheme://user:password@ — the password part of a URL's user-info (RFC 3986 §3.2.1).
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):([^\s/?#@]*)@/gi;

// The same, for the first match only: no shared lastIndex between callers.
const FIRST_URL_PASSWORD = new RegExp(URL_PASSWORD.source, 'i');

/** `text` with the password of every URL's user-info replaced by `***` (`http://u:***@host`). */
export function maskUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, '$1:***@');
}

/** The password of a URL's user-info, or null when it has none. */
export function urlPassword(text: string): string | null {
  const match = FIRST_URL_PASSWORD.exec(text);
  const password = match?.[2];
  return password === undefined || password === '' ? null : password;
}
