// How a stored user is sent (D6, and the alternative mode's extras): every response carrying a user
// goes through here, where a serialization bug would show in all of them at once.
import type { FaultSwitches } from './faults.js';
import type { ModeRules } from './mode.js';
import type { UserRecord } from './user-record.js';

/** A user as sent in a JSON body. */
export type UserJson = Record<string, string | number | null>;

/** The JSON form of a stored user under the mode's rules and the server's faults. */
export function userJson(record: UserRecord, rules: ModeRules, faults: FaultSwitches): UserJson {
  const json: UserJson = {
    username: record.username,
    first_name: record.first_name,
    last_name: record.last_name,
    avatar: record.avatar,
    created_at: timestamp(record.createdAt, faults),
    updated_at: timestamp(record.updatedAt, faults),
    last_login_at: record.lastLoginAt === null ? null : timestamp(record.lastLoginAt, faults),
    presence_status: presence(record.presence, faults),
  };
  if (faults.on('missing-property')) delete json.avatar;
  if (rules.extraUserProperties) Object.assign(json, exampleExtras(record));
  return json;
}

/**
 * The JSON text of userJson(record, rules, faults), kept on the record until the user changes
 * (AppStore drops it on update). A record belongs to one server, whose mode and faults are fixed.
 */
export function userJsonText(record: UserRecord, rules: ModeRules, faults: FaultSwitches): string {
  record.jsonText ??= JSON.stringify(userJson(record, rules, faults));
  return record.jsonText;
}

// The Get Users example shows `role` and `status`; an id is what a real service would add.
function exampleExtras(record: UserRecord): UserJson {
  return { id: `usr_${record.seq.toString(36)}`, role: 'member', status: 0 };
}

function timestamp(epochMs: number, faults: FaultSwitches): string {
  const date = new Date(epochMs);
  // Date#toString without its zone: "Sat Nov 28 2026 10:00:00", what a careless server sends.
  return faults.on('timestamps-not-rfc3339') ? date.toString().slice(0, 24) : date.toISOString();
}

function presence(status: 0 | 1, faults: FaultSwitches): number | string {
  if (!faults.on('presence-status-string')) return status;
  return status === 1 ? 'online' : 'offline';
}
