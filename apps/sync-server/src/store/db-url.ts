/** `postgres://…` and `postgresql://…` (any case) name a PostgreSQL database; anything else is a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** The database for logs: a PostgreSQL URL without its password, or the SQLite path. */
export function describeDb(db: string): string {
  if (!isPostgresUrl(db)) return `SQLite ${db}`;
  try {
    const url = new URL(db);
    if (url.password) url.password = '***';
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL (unparsable URL)';
  }
}
