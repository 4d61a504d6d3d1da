// An input of several sources (`::: a b ::: 1 2`, --colsep) is one string whose columns are
// joined by COLUMN_SEP: a lone U+DC00, which decodeBytes never produces (it escapes bytes as
// U+DC80–U+DCFF and keeps surrogates paired), so no input text can contain it.
export const COLUMN_SEP = '\uDC00';

export function joinColumns(columns: readonly string[]): string {
  return columns.join(COLUMN_SEP);
}

export function splitColumns(input: string): string[] {
  return input.includes(COLUMN_SEP) ? input.split(COLUMN_SEP) : [input];
}

/** The input as a user reads it: its columns separated by a space (as parallel's {} shows them). */
export function inputText(input: string): string {
  return input.includes(COLUMN_SEP) ? input.split(COLUMN_SEP).join(' ') : input;
}
