// Finds a secret in whatever a run left behind: every changed file (by snapshot, so unknown files
// count), in every leak form, inside zips and base64 too, since Playwright's reports are zips.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { escapeXml } from '../../../reporters/text.js';

// ---- Zip archives -------------------------------------------------------------------------
// Playwright bundles yauzl and yazl (it reads and writes its reports with them) and exports the
// bundle as `playwright-core/lib/utilsBundle`; typed here as far as this module uses them.

interface ZipEntry {
  fileName: string;
}
interface ZipReader {
  on(event: 'entry', listener: (entry: ZipEntry) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  readEntry(): void;
  openReadStream(entry: ZipEntry, callback: (error: Error | null, stream?: Readable) => void): void;
}
interface ZipWriter {
  addBuffer(data: Buffer, name: string): void;
  end(): void;
  outputStream: Readable;
}
interface ZipBundle {
  yauzl: {
    fromBuffer(
      data: Buffer,
      options: { lazyEntries: true },
      callback: (error: Error | null, zip?: ZipReader) => void,
    ): void;
  };
  yazl: { ZipFile: new () => ZipWriter };
}
const { yauzl, yazl } = createRequire(import.meta.url)('playwright-core/lib/utilsBundle') as ZipBundle;

export interface ZipFileEntry {
  name: string;
  data: Buffer;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every file entry of a zip archive, inflated. Rejects for a damaged archive. */
export function readZip(data: Buffer): Promise<ZipFileEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('not a zip archive'));
      const entries: ZipFileEntry[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (openError, stream) => {
          if (openError || !stream) return reject(openError ?? new Error(`cannot open ${entry.fileName}`));
          collect(stream).then((content) => {
            entries.push({ name: entry.fileName, data: content });
            zip.readEntry();
          }, reject);
        });
      });
      zip.readEntry();
    });
  });
}

/** A zip archive (deflated) of the given entries. */
export function writeZip(entries: readonly ZipFileEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) zip.addBuffer(entry.data, entry.name);
  zip.end();
  return collect(zip.outputStream);
}

// ---- The forms of a secret ----------------------------------------------------------------

/** One byte string to look for, and what it is, e.g. "base64 of the key". */
export interface Needle {
  form: string;
  bytes: Buffer;
}

/**
 * The base64 characters that encode `bytes` wherever they start in a longer stream: with
 * `shift` bytes before them in their group of three. The characters that also depend on the
 * neighbouring bytes are left out, so the result is found inside any base64 text holding them.
 */
export function base64Inner(bytes: Buffer, shift: 0 | 1 | 2): string {
  const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
  const text = padded.toString('base64').replace(/=+$/, '');
  const dropStart = [0, 2, 3][shift] ?? 0;
  const dropEnd = padded.length % 3 === 0 ? 0 : 1;
  return text.slice(dropStart, text.length - dropEnd);
}

/** The forms one piece of a secret takes in a leak, each named. */
function formsOf(text: string): [string, Buffer][] {
  const bytes = Buffer.from(text, 'utf8');
  const json = JSON.stringify(text).slice(1, -1);
  const forms: [string, Buffer | string][] = [
    ['raw', text],
    ['JSON-escaped', json],
    ['JSON-escaped with \\/', json.replaceAll('/', '\\/')],
    ['URL-encoded', encodeURIComponent(text)],
    ['form-encoded', new URLSearchParams({ v: text }).toString().slice(2)],
    // As the kit's own HTML and XML reports escape text.
    ['HTML-escaped', escapeXml(text)],
    ['reversed', [...text].reverse().join('')],
    ['hex', bytes.toString('hex')],
    ['UTF-16', Buffer.from(text, 'utf16le')],
  ];
  for (const shift of [0, 1, 2] as const) {
    const inner = base64Inner(bytes, shift);
    forms.push([`base64 (shift ${shift})`, inner]);
    forms.push([`base64url (shift ${shift})`, inner.replaceAll('+', '-').replaceAll('/', '_')]);
  }
  return forms.map(([form, value]) => [form, typeof value === 'string' ? Buffer.from(value, 'utf8') : value]);
}

/**
 * What to look for: every form of the secret and of each of its distinctive pieces (a leak may
 * keep the token and drop a scheme, or escape only the separators between random parts).
 * Identical byte strings are kept once, under the first name.
 */
export function secretNeedles(pieces: Readonly<Record<string, string>>): Needle[] {
  const needles = new Map<string, Needle>();
  for (const [name, text] of Object.entries(pieces)) {
    for (const [form, bytes] of formsOf(text)) {
      const id = bytes.toString('hex');
      if (!needles.has(id)) needles.set(id, { form: `${form} of the ${name}`, bytes });
    }
  }
  return [...needles.values()];
}

// ---- Trees: what a run created or changed -------------------------------------------------

/** Every regular file under the roots, with its modification time and size. */
export type TreeSnapshot = Map<string, string>;

/** Walks the roots (symbolic links are not followed; what cannot be read is passed over). */
export function snapshotTrees(roots: readonly string[]): TreeSnapshot {
  const files: TreeSnapshot = new Map();
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      try {
        const stat = lstatSync(path);
        if (stat.isDirectory()) walk(path);
        else if (stat.isFile()) files.set(path, `${stat.mtimeMs}:${stat.size}`);
      } catch {
        // Gone between the listing and the look: nothing to record.
      }
    }
  };
  for (const root of roots) walk(root);
  return files;
}

/** The files that are new in `after`, or whose time or size changed, sorted. */
export function changedFiles(before: TreeSnapshot, after: TreeSnapshot): string[] {
  return [...after]
    .filter(([path, stamp]) => before.get(path) !== stamp)
    .map(([path]) => path)
    .sort();
}

// ---- The scan -----------------------------------------------------------------------------

/** One place a form of the secret was found; `context` shows the surroundings with every form masked. */
export interface Finding {
  where: string;
  form: string;
  context: string;
}

export interface ScanStats {
  /** Files and outputs read. */
  files: number;
  bytes: number;
  /** Entries of zip archives read, at any depth. */
  zipEntries: number;
  /** Gzip streams inflated. */
  gzipStreams: number;
  /** Base64 runs (of 64 characters or more) decoded and searched in turn. */
  base64Blobs: number;
  /** Archives that claimed to be zip or gzip but could not be read: their content went unsearched. */
  unreadable: string[];
  /** Every file, output, zip entry and gzip stream searched (not the base64 runs). */
  scanned: string[];
}

// Runs of base64 (either alphabet) this long are decoded and searched: a data URI, an
// attachment's body, a key hidden under compression and then base64.
const BASE64_RUN = /[A-Za-z0-9+/_-]{64,}={0,2}/g;
const MAX_DEPTH = 4;
const CONTEXT_BYTES = 40;

function startsWith(data: Buffer, signature: readonly number[]): boolean {
  return signature.every((byte, index) => data[index] === byte);
}

export class SecretScanner {
  readonly findings: Finding[] = [];
  readonly stats: ScanStats = {
    files: 0,
    bytes: 0,
    zipEntries: 0,
    gzipStreams: 0,
    base64Blobs: 0,
    unreadable: [],
    scanned: [],
  };

  constructor(private readonly needles: readonly Needle[]) {}

  /** Searches one file; a file that is gone by now is passed over (it can hold nothing any more). */
  async scanFile(path: string): Promise<void> {
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch {
      return;
    }
    await this.scanOutput(path, data);
  }

  /** Searches something a run wrote that is not a file, e.g. its stdout. */
  async scanOutput(where: string, data: Buffer | string): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.stats.files++;
    this.stats.bytes += bytes.length;
    this.stats.scanned.push(where);
    await this.scan(where, bytes, 0);
  }

  private async scan(where: string, data: Buffer, depth: number): Promise<void> {
    for (const needle of this.needles) {
      const at = data.indexOf(needle.bytes);
      if (at >= 0) this.findings.push({ where, form: needle.form, context: this.context(data, at, needle) });
    }
    if (depth >= MAX_DEPTH) return;
    if (startsWith(data, [0x50, 0x4b, 0x03, 0x04]) || startsWith(data, [0x50, 0x4b, 0x05, 0x06])) {
      let entries: ZipFileEntry[];
      try {
        entries = await readZip(data);
      } catch {
        this.stats.unreadable.push(where);
        return;
      }
      for (const entry of entries) {
        this.stats.zipEntries++;
        this.stats.scanned.push(`${where}!/${entry.name}`);
        await this.scan(`${where}!/${entry.name}`, entry.data, depth + 1);
      }
      return;
    }
    if (startsWith(data, [0x1f, 0x8b])) {
      let inflated: Buffer;
      try {
        inflated = gunzipSync(data);
      } catch {
        this.stats.unreadable.push(where);
        return;
      }
      this.stats.gzipStreams++;
      this.stats.scanned.push(`${where}!/(gunzipped)`);
      await this.scan(`${where}!/(gunzipped)`, inflated, depth + 1);
      return;
    }
    for (const match of data.toString('latin1').matchAll(BASE64_RUN)) {
      this.stats.base64Blobs++;
      await this.scan(`${where}#base64@${match.index}`, Buffer.from(match[0], 'base64'), depth + 1);
    }
  }

  /** The bytes around a hit, as text, with every form of the secret replaced by its name. */
  private context(data: Buffer, at: number, needle: Needle): string {
    const start = Math.max(0, at - CONTEXT_BYTES);
    let text = data.subarray(start, at + needle.bytes.length + CONTEXT_BYTES).toString('latin1');
    // Longest first, so a piece inside a longer form does not split it.
    for (const other of [...this.needles].sort((a, b) => b.bytes.length - a.bytes.length)) {
      text = text.replaceAll(other.bytes.toString('latin1'), `[[${other.form}]]`);
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control bytes are what is replaced
    return text.replace(/[\u0000-\u001f\u007f-\u00ff]/g, '.');
  }
}

/** One line per finding, for an assertion message. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((finding) => `${finding.where}: ${finding.form}\n    …${finding.context}…`).join('\n');
}
