// What every test does around its body about the target: skip once it is lost, say when it was
// lost during the test, and hand what the test exercised to the report.
import type { TestInfo } from '@playwright/test';
import { TARGET_LOST_ANNOTATION, targetLost } from '../../../runtime/target-lost.js';
import { handOverExercise } from './exercise.js';
import { noteTestStart } from './still-app.js';

/**
 * Notes when the test starts; skips it once the target is lost, and marks the test during
 * which it was lost; hands what the test exercised to the report as it ends.
 */
export async function watchTarget(testInfo: TestInfo, use: () => Promise<void>): Promise<void> {
  noteTestStart(testInfo);
  const lostBefore = targetLost();
  if (lostBefore !== undefined) {
    testInfo.annotations.push({ type: TARGET_LOST_ANNOTATION, description: lostBefore });
    testInfo.skip(true, `not run: ${lostBefore}`);
  }
  await use();
  const lostDuring = targetLost();
  if (lostDuring !== undefined) testInfo.annotations.push({ type: TARGET_LOST_ANNOTATION, description: lostDuring });
  handOverExercise(testInfo);
}
