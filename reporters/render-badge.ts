// reports/conformance-badge.svg: "users api | 54/56 MUST", the MUST requirements that passed
// (flaky ones included) out of all MUST requirements; green when no MUST failed, red otherwise.
import type { ConformanceReport } from './report-types.js';
import { escapeXml } from './text.js';

// Rough advance of one character of 11px Verdana, the badge font, and the padding per side.
const CHAR_WIDTH = 7;
const PADDING = 6;

function width(text: string): number {
  return text.length * CHAR_WIDTH + 2 * PADDING;
}

export function badgeText(report: ConformanceReport): { label: string; message: string; color: string } {
  const must = report.summary.counts.MUST;
  const total = must.passed + must.failed + must.skipped + must.untested + must.flaky;
  return {
    label: 'users api',
    message: `${must.passed + must.flaky}/${total} MUST`,
    color: must.failed ? '#cf222e' : '#1a7f37',
  };
}

export function renderBadge(report: ConformanceReport): string {
  const { label, message, color } = badgeText(report);
  const left = width(label);
  const right = width(message);
  const all = left + right;
  const title = escapeXml(`${label}: ${message}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${all}" height="20" role="img" aria-label="${title}">
<title>${title}</title>
<rect width="${left}" height="20" fill="#555"/>
<rect x="${left}" width="${right}" height="20" fill="${color}"/>
<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
<text x="${left / 2}" y="14">${escapeXml(label)}</text>
<text x="${left + right / 2}" y="14">${escapeXml(message)}</text>
</g>
</svg>
`;
}
