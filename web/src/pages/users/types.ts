// Shapes of the console users and API keys endpoints (owner only).
export type Role = "owner" | "operator" | "service" | "viewer";

export const roles: Role[] = ["owner", "operator", "service", "viewer"];

export interface ConsoleUser {
  id: number;
  email: string;
  role: Role;
  created_at: string;
  last_login_at: string | null;
}

export interface ApiKey {
  id: number;
  prefix: string;
  role: Role;
  created_at: string;
}

// Only the answer to a key's creation carries the key itself.
export interface CreatedKey extends ApiKey {
  key: string;
}
