// Where users live: the base path (D1), and usernames with reserved or non-ASCII characters,
// which a server may refuse at create but must serve at their percent-encoded path (D2).
import type { ApiClient } from '../support/api-client.js';
import { type Check, clientError, property, statusIs, successful } from '../support/checks.js';
import type { Exchange } from '../support/exchange.js';
import { type NameMaker, requirement, test } from '../support/requirement-test.js';
import { precondition, verify, violation } from '../support/verdicts.js';

// Parallel tests: each test's users are deleted while the worker's next test runs.
test.use({ cleanup: 'in-background' });

test(...requirement('USR-BASE-PATH'), async ({ api, names }) => {
  const username = names.next('base');
  // POST {API_URL}/v1/{APP_ID}/users, not the table's /v1/users (E1).
  verify(await api.createUser({ username }), successful);
  // GET {API_URL}/v1/{APP_ID}/users/{username}, not the table's /v1/users/ (E1, E3).
  verify(await api.getUser(username), statusIs(200), property('username', username));
});

/** What follows the run's prefix in each odd username, and why it is there. */
const ODD_SUFFIXES: readonly string[] = [
  // A sub-delimiter that encodeURIComponent leaves raw but RFC 3986 encoding sends as %2A.
  'a*b',
  // Non-ASCII Latin: two UTF-8 bytes (%C3%A9).
  'héllo',
  // A space: %20 in a path, which a form decoder must not be used for.
  'with space',
  // A slash: a server that decodes before routing sees one segment too many.
  'a/b',
  // A query delimiter: a server that decodes before splitting off the query loses the rest.
  'a?b',
  // A percent sign: a server that decodes twice, or not at all, looks up another name.
  'a%b',
  // A literal escape sequence: decoding twice turns it into a/b.
  'a%2Fb',
  // A fragment delimiter, which a client never sends raw.
  'a#b',
  // A plus: form decoding turns it into a space.
  'a+b',
  // Query-like sub-delimiters.
  'a&b=c',
  // A semicolon: some servers cut path parameters (;jsessionid=...) off a segment.
  'a;b',
  // The delimiters of userinfo and authority, as in an email-like name.
  'a:b@c',
  // A backslash, which some servers and proxies turn into a slash.
  'a\\b',
  // CJK: three UTF-8 bytes per character.
  '日本語',
  // An emoji outside the Basic Multilingual Plane: four UTF-8 bytes, a surrogate pair in JavaScript.
  'fox🦊',
];

/** One odd username per suffix, each starting with this test's prefix (D12). */
function oddUsernames(names: NameMaker): string[] {
  return ODD_SUFFIXES.map((suffix) => `${names.next('odd')}${suffix}`);
}

test(...requirement('USR-USERNAME-ALPHABET'), async ({ api, names }, testInfo) => {
  const usernames = oddUsernames(names);
  const answers = await Promise.all(usernames.map((username) => api.createUser({ username })));
  // A MAY: the report says which names this implementation takes.
  const accepted = usernames.filter((_, index) => successful(answers[index] as Exchange) === undefined);
  const refused = usernames.filter((_, index) => clientError(answers[index] as Exchange) === undefined);
  testInfo.annotations.push({
    type: 'observed',
    description: `accepted ${accepted.length} of ${usernames.length} odd usernames; refused with 4xx: ${
      refused.map((name) => JSON.stringify(name)).join(', ') || 'none'
    }`,
  });
  const wrong = answers.filter((answer) => successful(answer) !== undefined && clientError(answer) !== undefined);
  if (wrong.length) {
    violation(
      `each odd username accepted (2xx) or refused with a 4xx (D2); ${wrong.length} got neither: ${wrong
        .map(
          (answer) => `${answer.request.body} → ${answer.response?.status ?? `no answer (${answer.transportError})`}`,
        )
        .join('; ')}`,
      wrong,
    );
  }
});

test(...requirement('USR-USERNAME-ENCODED-PATH'), async ({ api, names }, testInfo) => {
  // A plain name, which needs no encoding, goes through the same steps: a step it fails too is
  // broken for every name, and is judged by that operation's own requirement, not by this one.
  const control = names.next('plain');
  const usernames = oddUsernames(names);
  const [controlCreated, ...answers] = await Promise.all(
    [control, ...usernames].map((username) => api.createUser({ username })),
  );
  precondition('the create of a plain username', controlCreated as Exchange, successful);
  // Names refused at create are USR-USERNAME-ALPHABET's business; only accepted ones are judged.
  const accepted = usernames.filter((_, index) => successful(answers[index] as Exchange) === undefined);
  test.skip(
    accepted.length === 0,
    `Not judged: the server refused all ${usernames.length} odd usernames at create (allowed by D2), so none can be looked up.`,
  );
  const [controlSteps, ...oddSteps] = await Promise.all([control, ...accepted].map((name) => reachability(api, name)));
  const brokenForAll = new Set((controlSteps ?? []).filter((step) => step.finding).map((step) => step.what));
  if (brokenForAll.size) {
    testInfo.annotations.push({
      type: 'not judged',
      description: `${[...brokenForAll].join(', ')}: a plain username fails it too, so it says nothing about encoding`,
    });
  }
  const findings = oddSteps.flat().filter((step) => step.finding && !brokenForAll.has(step.what));
  if (findings.length) {
    // One exchange per username, its first failed step: the lines of the message say the rest.
    const firstFailures = new Map<string, Exchange>();
    for (const step of findings) if (!firstFailures.has(step.username)) firstFailures.set(step.username, step.exchange);
    violation(
      `every accepted username reachable at its percent-encoded path for GET, PUT and DELETE (D2), as the plain ${JSON.stringify(control)} is:\n           ${findings
        .map((step) => `${JSON.stringify(step.username)}, ${step.what}: ${step.finding}`)
        .join('\n           ')}`,
      [...firstFailures.values()],
    );
  }
});

/** One step of the walk through a user's item operations, and what went wrong with it. */
interface Step {
  username: string;
  what: string;
  exchange: Exchange;
  finding?: string;
}

/** GET, PUT, DELETE and a last GET of one user at its percent-encoded path. */
async function reachability(api: ApiClient, username: string): Promise<Step[]> {
  const steps: Step[] = [];
  const step = (what: string, exchange: Exchange, ...checks: Check[]) => {
    const failed = checks.map((check) => check(exchange)).filter((finding) => finding !== undefined);
    steps.push({ username, what, exchange, ...(failed.length ? { finding: failed.join('; ') } : {}) });
  };
  step('GET', await api.getUser(username), statusIs(200), property('username', username));
  step(
    'PUT',
    await api.updateUser(username, { first_name: 'Encoded' }),
    statusIs(200),
    property('first_name', 'Encoded'),
  );
  step('DELETE', await api.deleteUser(username), successful);
  step('GET after the DELETE', await api.getUser(username), statusIs(404));
  return steps;
}
