// The run-unique prefix every username of a run starts with (D12), so that a run's users can
// be told apart from everyone else's on a shared server and swept up at the end.
import { randomBytes } from 'node:crypto';

/** Set by the global setup so that every worker of one run shares one prefix. */
export const RUN_PREFIX_VARIABLE = 'USERS_API_KIT_RUN_PREFIX';

/** Set by the global setup when the target is the embedded reference server, for the report. */
export const EMBEDDED_TARGET_VARIABLE = 'USERS_API_KIT_EMBEDDED';

/** A fresh prefix: `k` and six random letters or digits, about two billion possibilities. */
export function newRunPrefix(): string {
  const random = randomBytes(6).readUIntBE(0, 6) % 36 ** 6;
  return `k${random.toString(36).padStart(6, '0')}`;
}

/** This run's prefix; a worker started without the global setup gets one of its own. */
export function runPrefix(): string {
  process.env[RUN_PREFIX_VARIABLE] ??= newRunPrefix();
  return process.env[RUN_PREFIX_VARIABLE];
}
