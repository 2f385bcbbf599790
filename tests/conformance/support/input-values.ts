// Turns the rows of specs/input-classes.yaml into what the kit sends: a value of the row's
// class, a username built around the run's prefix, a body sized to the byte.
import type { BodyClass, InputClass, InputField, ValueClass } from '../../../specs/contract.js';
import { contract } from '../../../specs/contract.js';

/** The value rows that apply to a field, in the table's order. */
export function valueClassesFor(field: InputField): ValueClass[] {
  return contract().inputClasses.filter((row): row is ValueClass => 'fields' in row && row.fields.includes(field));
}

/** The body rows, in the table's order. */
export function bodyClasses(): BodyClass[] {
  return contract().inputClasses.filter((row): row is BodyClass => 'create' in row);
}

function repeatTo(unit: string, length: number): string {
  const chars = Array.from(unit);
  return Array.from({ length: Math.max(0, length) }, (_, at) => chars[at % chars.length]).join('');
}

/**
 * The value a row sends, sized where the row asks: `stem` is what a username carries besides
 * the value (the run's prefix), `bodyOf` builds the whole body around a value, for rows sized
 * in body bytes.
 */
export function classValue(
  row: ValueClass,
  options: { stem?: string; bodyOf?: (value: string) => string } = {},
): unknown {
  const { value } = row;
  if ('json' in value) return JSON.parse(value.json) as unknown;
  if ('text' in value) return value.text;
  if ('length' in value) return repeatTo(value.repeat, value.length - Array.from(options.stem ?? '').length);
  const bodyOf = options.bodyOf ?? ((text: string) => JSON.stringify(text));
  // The repeated unit is one ASCII character (the schema says so), one byte in JSON.
  return value.repeat.repeat(value.bodyBytes - Buffer.byteLength(bodyOf(''), 'utf8'));
}

/** A username of the row's class: the run's stem and the value, in the order the row says. */
export function classUsername(row: ValueClass, stem: string): string {
  const value = classValue(row, { stem });
  if (typeof value !== 'string') throw new Error(`input class ${row.id} has no text value for a username`);
  if ('length' in row.value) return `${stem}${value}`;
  return row.at === 'start' ? `${value}${stem}` : `${stem}${value}`;
}

/** A value as failure messages show it: JSON, shortened around the middle when long. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  if (json.length <= 80) return json;
  const chars = typeof value === 'string' ? ` (${Array.from(value).length} characters)` : '';
  return `${json.slice(0, 40)}…${json.slice(-20)}${chars}`;
}

/** Whether a row's class may be stored, and what a stored value must read back as. */
export function readsBackAs(row: ValueClass, sent: unknown): (actual: unknown, reference: unknown) => boolean {
  if (row.accepted === 'any-string') {
    // Coercion is tolerated (E14); the stored string is then the same in every view.
    return (actual, reference) => typeof actual === 'string' && (reference === undefined || actual === reference);
  }
  const exact = [sent, ...(row.alsoExact ?? [])];
  return (actual) => exact.includes(actual);
}

/** What a row's stored value must read back as, in words. */
export function expectedReadBack(row: ValueClass, sent: unknown): string {
  if (row.accepted === 'any-string') return 'a string, the same in every view (E14)';
  const others = row.alsoExact?.length ? ` (or ${row.alsoExact.map(shown).join(', ')})` : '';
  return `exactly ${shown(sent)}${others}`;
}

/** A short name of a class for messages: its ID and why it exists. */
export function describeClass(row: InputClass): string {
  return `${row.id} (${row.why.replace(/\.$/, '')})`;
}
