-- Console users, their login sessions, and revocable API keys (SPEC SEC-1, SEC-2).

-- A login names only the email, so an email is unique across all merchants.
CREATE TABLE users (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  email TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_login_at INTEGER,
  PRIMARY KEY (tenant_id, id)
);

-- Only the SHA-256 of a session's token is kept.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (tenant_id, user_id);
CREATE INDEX sessions_by_expiry ON sessions (tenant_id, expires_at);

ALTER TABLE api_keys ADD COLUMN revoked_at INTEGER;
