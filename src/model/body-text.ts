/**
 * A wire body's JSON text, made once: the client sends it, the body store keeps it. A thousand
 * 100-scene bodies are 7 MB of JSON; making it twice per apply showed in profiles.
 */
const texts = new WeakMap<object, string>();

export function bodyText(body: unknown): string {
  if (typeof body !== 'object' || body === null) return JSON.stringify(body);
  let text = texts.get(body);
  if (text === undefined) {
    text = JSON.stringify(body);
    texts.set(body, text);
  }
  return text;
}
