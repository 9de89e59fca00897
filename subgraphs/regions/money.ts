// Amounts and periods as the schema shows them: Money only when both the amount and its currency are known, a
// Period only when it has a start.

export const money = (amount: string | null, currency: string | null) =>
  amount === null || currency === null ? null : { amount, currency };

export const period = (start: string | null, end: string | null) => (start === null ? null : { start, end });
