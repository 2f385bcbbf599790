// One HTTP request and what came back, kept whole so a failure can say what was sent, what
// was received and how to send it again.
import { REDACTED_KEY, withoutKey } from '../../../runtime/key-redaction.js';

/** What the kit sent. Header values that carry the configured API key are already redacted. */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What came back; `json` is undefined unless the body parses as JSON (the client parses it on first read). */
export interface ReceivedResponse {
  status: number;
  contentType: string;
  headers: Record<string, string>;
  text: string;
  json?: unknown;
}

/** A request with its response, or with the transport error that stopped it. */
export interface Exchange {
  request: SentRequest;
  response?: ReceivedResponse;
  transportError?: string;
}

// Re-exported: the marker belongs with the redaction, and printed requests carry it.
export { REDACTED_KEY } from '../../../runtime/key-redaction.js';

const BODY_PREVIEW_CHARS = 600;
const URL_PREVIEW_CHARS = 240;
const URL_TAIL_CHARS = 40;
/** Longer URLs and bodies are named by their length in a curl line, which a reader copies. */
const CURL_INLINE_CHARS = 2048;

// What a terminal or a report would hide, act on or reorder: control characters (bar newline
// and tab) and bidirectional controls. A body of garbage must read as what it is.
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) =>
    char === '\n' || char === '\t' ? char : `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/** A body as printed: the key blanked out first (a cut must not leave half of it), then cut, then made printable. */
function trimmed(text: string): string {
  const told = withoutKey(text);
  if (told.length <= BODY_PREVIEW_CHARS) return printable(told);
  return `${printable(told.slice(0, BODY_PREVIEW_CHARS))}… (${text.length} characters in all)`;
}

/** A URL as printed: a long one (a 10,000-character username) keeps its ends, so the status stays in view. */
function shortUrl(url: string): string {
  if (url.length <= URL_PREVIEW_CHARS) return url;
  const end = url.slice(-URL_TAIL_CHARS);
  return `${url.slice(0, URL_PREVIEW_CHARS - URL_TAIL_CHARS)}…${end} (${url.length} characters in all)`;
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A curl command that sends the same request, with the key left to the shell's $API_KEY. */
export function curlCommand(request: SentRequest): string {
  const url =
    request.url.length > CURL_INLINE_CHARS
      ? `<a URL of ${request.url.length} characters, as the test built it>`
      : request.url;
  const parts = ['curl -sS -i', '-X', request.method, shellQuote(url)];
  for (const [name, value] of Object.entries(request.headers)) {
    const header = `${name}: ${value}`;
    // Double quotes let the shell expand $API_KEY; the redaction marker is the only `$` placed there.
    parts.push('-H', value.includes(REDACTED_KEY) ? `"${header}"` : shellQuote(header));
  }
  if (request.body !== undefined) {
    const body =
      request.body.length > CURL_INLINE_CHARS ? `<${request.body.length} bytes, as the test built it>` : request.body;
    parts.push('--data-raw', shellQuote(body));
  }
  return parts.join(' ');
}

/** The request line and body, then the status, content type and body, trimmed for reading. */
export function describeExchange(exchange: Exchange): string {
  const { request, response } = exchange;
  const lines = [`Sent:      ${request.method} ${shortUrl(request.url)}`];
  if (request.body !== undefined) lines.push(`           ${trimmed(request.body)}`);
  if (response) {
    lines.push(`Received:  ${response.status} ${response.contentType || '(no content type)'}`);
    if (response.text) lines.push(`           ${trimmed(response.text)}`);
  } else {
    lines.push(`Received:  no HTTP answer (${exchange.transportError ?? 'unknown transport error'})`);
  }
  lines.push(`Reproduce: ${curlCommand(request)}`);
  return lines.join('\n');
}
