// The exit codes of the kit's commands, as README's table documents them: one per verdict of
// the gate, the same from a run and from `gate`, and one for what cannot be used at all.

/** The exit code of each verdict of the gate. */
export const VERDICT_EXIT_CODES = { pass: 0, fail: 1, error: 3, incomplete: 4 } as const;

/** A command line, a setting or an input file that cannot be used; nothing was judged. */
export const USAGE_EXIT_CODE = 2;
