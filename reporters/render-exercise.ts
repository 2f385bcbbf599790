// The exercise summary of a report, in words: what the run sent, so a pass says what it rests
// on. Shared by the Markdown and HTML views.
import type { ConformanceReport } from './report-types.js';

/** One line per part of the exercise; none for a report without one (an older kit's). */
export function exerciseLines(report: ConformanceReport): string[] {
  const exercise = report.exercise;
  if (!exercise) return [];
  const total = Object.values(exercise.requests).reduce((sum, count) => sum + count, 0);
  const byOperation = Object.entries(exercise.requests)
    .map(([operation, count]) => `${operation} ${count}`)
    .join(', ');
  const seconds = Math.round((Date.parse(report.endedAt) - Date.parse(report.startedAt)) / 1000);
  return [
    `${total} requests in ${seconds} s: ${byOperation}`,
    `${exercise.usersCreated} users created, ${exercise.usersDeleted} deleted`,
    `${exercise.pagesRead} pages of Get Users with Presence read, page sizes ${exercise.pageSizes.join(', ') || 'none'}`,
    `${exercise.inputClasses} input classes sent (specs/input-classes.yaml)`,
  ];
}
