// Shapes of the rule engine's endpoints (schemas Rule, DryRun, BlacklistEntry in openapi.json).

export interface Rule {
  id: number;
  name: string;
  expression: string;
  message: string;
  enabled: boolean;
  version: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface RuleInput {
  name: string;
  expression: string;
  message: string;
  enabled: boolean;
}

export interface DryRun {
  evaluated: number;
  matches: {
    order_id: number;
    order_no: string;
    status: string;
    total: number;
    phone: string;
    province: string;
    created_at: string;
  }[];
  errors: { order_id: number; message: string }[];
}

export const blacklists = ["phone", "address", "name"] as const;
export type Blacklist = (typeof blacklists)[number];

export interface BlacklistEntry {
  list: Blacklist;
  value: string;
  note: string;
  created_at: string;
}

// Where the rule engine says a rule is wrong: "line 2, column 7: unknown field order.totl".
export interface SourceError {
  line: number;
  column: number;
  message: string;
}

export function parseSourceError(text: string): SourceError | null {
  const match = /^line (\d+), column (\d+): ([\s\S]*)$/.exec(text);
  if (!match) return null;
  return { line: Number(match[1]), column: Number(match[2]), message: match[3] ?? "" };
}
