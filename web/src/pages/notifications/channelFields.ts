// The fields of each channel's account (the …AccountInput schemas of PUT /api/v1/channels/{channel}).
import type { AccountChannel } from "./types";

export interface ChannelField {
  name: string;
  kind: "text" | "number" | "boolean" | "secret";
}

export const channelFields: Record<AccountChannel, ChannelField[]> = {
  email: [
    { name: "host", kind: "text" },
    { name: "port", kind: "number" },
    { name: "from", kind: "text" },
    { name: "username", kind: "text" },
    { name: "password", kind: "secret" },
    { name: "starttls", kind: "boolean" },
    { name: "tls_verify", kind: "boolean" },
  ],
  sms: [
    { name: "url", kind: "text" },
    { name: "access_key_id", kind: "text" },
    { name: "access_key_secret", kind: "secret" },
    { name: "sign_name", kind: "text" },
  ],
  wechat: [
    { name: "url", kind: "text" },
    { name: "appid", kind: "text" },
    { name: "secret", kind: "secret" },
  ],
  push: [
    { name: "url", kind: "text" },
    { name: "app_key", kind: "text" },
    { name: "master_secret", kind: "secret" },
  ],
  webhook: [
    { name: "url", kind: "text" },
    { name: "secret", kind: "secret" },
  ],
};

// SMS and WeChat send the provider's own templates, named per event on the account.
export function usesProviderTemplates(channel: AccountChannel): boolean {
  return channel === "sms" || channel === "wechat";
}
