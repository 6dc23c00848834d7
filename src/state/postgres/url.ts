/** PostgreSQL state URLs: recognised, and shown with the password replaced by `***`. */

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The URL for messages: never the password, whether in the URL or in ?password=. */
export function redactUrl(location: string): string {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    // Not parseable: hide everything between "//" and "@", which is where a password would be.
    return location.replace(/\/\/[^@/]*@/, '//***@');
  }
  if (url.password) url.password = '***';
  for (const key of [...url.searchParams.keys()]) if (/^pass(word)?$/i.test(key)) url.searchParams.set(key, '***');
  return url.toString().replace('%2A%2A%2A', '***');
}

/** Workspace names: one database holds many states. */
export const WORKSPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
