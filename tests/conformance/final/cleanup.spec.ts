// What the run leaves behind (D12): after every other test, no user with the run's prefix may
// remain in either app. Leftovers are deleted before that is reported, so the target is as found.

import { runPrefix } from '../../../runtime/run-identity.js';
import { requirement, test } from '../support/requirement-test.js';
import { absorbSpooledAnnotations } from '../support/run-findings.js';
import { noteFinalSweep, sweepRunUsers, sweptApps } from '../support/sweep.js';
import { precondition, violation } from '../support/verdicts.js';

/** At most this many leftover names are printed per app. */
const SHOWN = 20;

test(...requirement('USR-CLEANUP-NO-LEFTOVERS'), async ({ api }, testInfo) => {
  // What the exchange rules found between tests (the workers' last clean-up deletes), now that
  // every earlier worker has ended.
  absorbSpooledAnnotations(testInfo);
  const prefix = runPrefix();
  // Lists each app, deletes what it finds, and says what it found: the leftovers are gone
  // afterwards where the server allows it, and reported either way.
  const swept = await sweepRunUsers(api, { appIds: sweptApps(api), prefix });
  noteFinalSweep();
  if (swept.every((app) => app.usernames.length === 0)) {
    for (const app of swept) {
      const last = app.exchanges.at(-1);
      if (app.problem && last) await precondition(`listing the users of app ${app.appId}`, last, () => app.problem);
    }
    return;
  }
  const lines = swept
    .filter((app) => app.usernames.length > 0)
    .map((app) => {
      const names = app.usernames.slice(0, SHOWN).join(', ');
      const more = app.usernames.length > SHOWN ? ` and ${app.usernames.length - SHOWN} more` : '';
      const refused = app.refused.length
        ? `; ${app.refused.length} could not be deleted now either (DELETE answered ${[
            ...new Set(app.refused.map((outcome) => outcome.exchange.response?.status ?? 'nothing')),
          ].join(', ')})`
        : '';
      return `app ${app.appId} (${app.source}): ${app.usernames.length} left: ${names}${more}; the sweep deleted ${app.deleted.length}${refused}`;
    });
  await violation(
    `no user whose name starts with ${JSON.stringify(prefix)} left after every test deleted what it created;\n           ${lines.join('\n           ')}`,
    [
      ...swept.flatMap((app) => (app.usernames.length ? app.exchanges.slice(-1) : [])),
      ...swept.flatMap((app) => app.refused.slice(0, 1).map((outcome) => outcome.exchange)),
    ],
  );
});
