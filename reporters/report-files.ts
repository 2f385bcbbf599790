// The names of the files the conformance reporter writes into the report folder, for every
// module that writes, finds or checks them.

/** Each report file by what it holds. */
export const REPORT_FILES = {
  json: 'conformance.json',
  markdown: 'conformance.md',
  html: 'conformance.html',
  badge: 'conformance-badge.svg',
  junit: 'junit.xml',
} as const;
