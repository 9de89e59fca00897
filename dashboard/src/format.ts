// Numbers as the dashboard shows them. Decimals arrive as exact strings and are grouped digit by digit, never
// through a float, so that 2232176.90 shows as 2,232,176.90 to the cent.

/** "2232176.90" -> "2,232,176.90"; "7063" -> "7,063". */
export function groupDigits(decimal: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(decimal.trim());
  if (!match) return decimal;
  const [, sign, whole, fraction] = match;
  return `${sign}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction ?? ''}`;
}

export const money = (value: { amount: string; currency: string } | null | undefined) => (value ? `${value.currency} ${groupDigits(value.amount)}` : '–');

export const count = (value: number | string | null | undefined) => (value === null || value === undefined ? '–' : groupDigits(String(value)));

/** The words a suppressed count shows as, everywhere: never a number. */
export const suppressedText = 'fewer than 5';

/** A count that may be suppressed: its number, or "fewer than 5". */
export const countOrSuppressed = (value: number | null | undefined, suppressed: boolean) => (suppressed || value === null || value === undefined ? suppressedText : count(value));

/** "0.7297" -> "73.0 %". */
export const share = (value: string | null | undefined) => (value === null || value === undefined ? '–' : `${(Number(value) * 100).toFixed(1)} %`);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
