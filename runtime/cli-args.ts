// Command lines of the kit's commands, parsed strictly by node:util parseArgs, so every refusal is
// one UsageError sentence naming the flag.
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Bad command-line use; the commands print the message with their usage and exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The one-sentence reason parseArgs refused a command line. */
function refusal(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const flag = /'(?:-[^-' ], )?(-{1,2}[^' ,]+)/.exec(text)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return text.includes('does not take an argument') ? `${flag} takes no value` : `${flag} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(text)?.[1] ?? ''}`.trimEnd();
    default:
      return text.split('. ')[0]?.replace(/\.$/, '') ?? text;
  }
}

/**
 * Parses `argv` against `options`; a flag that takes a value refuses an empty one too (an
 * empty `--baseline "$UNSET"` must not quietly mean "none"). `tokens` tells the options apart
 * from what follows a `--`.
 */
export function parseCommandLine<T extends Options>(argv: readonly string[], options: T) {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true; tokens: true }>
  >;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    throw new UsageError(refusal(error));
  }
  for (const token of parsed.tokens) {
    if (token.kind === 'option' && token.value === '') throw new UsageError(`${token.rawName} needs a value`);
  }
  const terminator = parsed.tokens.find((token) => token.kind === 'option-terminator');
  /** What follows `--`, for commands that hand it on. */
  const rest = terminator ? argv.slice(terminator.index + 1) : [];
  return { values: parsed.values, positionals: parsed.positionals, rest };
}
