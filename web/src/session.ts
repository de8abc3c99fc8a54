// Who is signed in: loaded from GET /api/v1/session, set by logging in, cleared by logging out.
// The server enforces every permission; the console only hides what the role may not do.
import { reactive } from "vue";
import { api, ApiError, setCsrfToken } from "./api";

export type Permission =
  | "read"
  | "create_orders"
  | "change_orders"
  | "ship_orders"
  | "write_inventory"
  | "manage"
  | "read_audit";

export interface SessionInfo {
  user: { id: number; email: string; role: "owner" | "operator" | "service" | "viewer" };
  tenant: { slug: string };
  permissions: Permission[];
  csrf_token: string;
  expires_at: string;
}

export const session = reactive<{ info: SessionInfo | null; loaded: boolean }>({
  info: null,
  loaded: false,
});

function adopt(info: SessionInfo | null): void {
  session.info = info;
  session.loaded = true;
  setCsrfToken(info?.csrf_token ?? "");
}

export async function loadSession(): Promise<SessionInfo | null> {
  try {
    adopt(await api.get<SessionInfo>("/api/v1/session"));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    adopt(null);
  }
  return session.info;
}

export async function logIn(email: string, password: string): Promise<SessionInfo> {
  const info = await api.post<SessionInfo>(
    "/api/v1/session",
    { email, password },
    { quietUnauthenticated: true },
  );
  adopt(info);
  return info;
}

export async function logOut(): Promise<void> {
  try {
    await api.delete("/api/v1/session");
  } finally {
    adopt(null);
  }
}

export function forgetSession(): void {
  adopt(null);
}

export function can(permission: Permission): boolean {
  return session.info?.permissions.includes(permission) ?? false;
}

export function isOwner(): boolean {
  return session.info?.user.role === "owner";
}
