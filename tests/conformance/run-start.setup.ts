// The run's first test: notes how many users the target's apps hold, so the report can show the run
// left the count as it found it (D12). It judges no requirement.
import { test } from './support/requirement-test.js';
import { absorbSpooledAnnotations } from './support/run-findings.js';

test('the run starts: note the users each app holds', async ({ api, settings }, testInfo) => {
  // What the exchange rules found in the global setup's probe, outside any test.
  absorbSpooledAnnotations(testInfo);
  const apps = [settings.appId, settings.secondAppId].filter((app): app is string => app !== undefined);
  // Both apps at once; the notes keep the apps' order.
  const firsts = await Promise.all(apps.map((appId) => api.firstPage({ appId, limit: 1 })));
  apps.forEach((appId, at) => {
    const total = (firsts[at]?.response?.json as { total_count?: unknown } | undefined)?.total_count;
    test.info().annotations.push({
      type: 'users-before',
      description: `${appId}: ${typeof total === 'number' ? total : 'unknown'}`,
    });
  });
});
