// Building an Intl.DateTimeFormat is costly (a profile of the trainings subgraph found a third of its CPU
// there), so one is kept per time zone; the number of zones is small and fixed by the data.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Formats an instant as ISO 8601 with the UTC offset in force in a time zone at that instant, e.g.
 * 2024-10-09T14:30:00+02:00 for Europe/Brussels in October (CEST). Clients see the local time the
 * organiser announced, and the offset makes it an exact instant.
 */
export function formatInstant(instant: Date, timeZone: string): string {
  const seconds = Math.floor(instant.getTime() / 1000) * 1000;
  const offsetMs = cachedOffsetMs(timeZone, seconds);
  const local = new Date(seconds + offsetMs).toISOString().slice(0, 19);
  const offsetMinutes = Math.round(offsetMs / 60000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

// Even with one formatter per zone, asking Intl for the parts of every date was still the trainings subgraph's
// largest cost (a page of 1,000 registrations formats 3,000 dates). A zone's offset only changes at its
// transitions, and no zone has two within a quarter of an hour: so the offset is looked up once per zone and
// quarter hour, and when the quarter's first and last second disagree (a transition inside it), per instant.
const slotMs = 15 * 60_000;
const maxSlotsPerZone = 100_000;
const slotOffsets = new Map<string, Map<number, number>>();

function cachedOffsetMs(timeZone: string, seconds: number): number {
  let slots = slotOffsets.get(timeZone);
  if (!slots) slotOffsets.set(timeZone, (slots = new Map()));
  const slot = Math.floor(seconds / slotMs);
  let offset = slots.get(slot);
  if (offset === undefined) {
    const first = utcOffsetMs(timeZone, slot * slotMs);
    offset = first === utcOffsetMs(timeZone, slot * slotMs + slotMs - 1000) ? first : Number.NaN;
    // Bounded: a zone's slots are as many as the distinct quarter hours formatted, which the data decides.
    if (slots.size >= maxSlotsPerZone) slots.clear();
    slots.set(slot, offset);
  }
  return Number.isNaN(offset) ? utcOffsetMs(timeZone, seconds) : offset;
}

/** How far a time zone's clocks are ahead of UTC at an instant (ms since the epoch), in ms. */
export function utcOffsetMs(timeZone: string, at: number): number {
  const part: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(at)) part[p.type] = Number(p.value);
  // Not Date.UTC, which reads years 0 to 99 as 1900 to 1999.
  const shown = new Date(0);
  shown.setUTCFullYear(part.year!, part.month! - 1, part.day!);
  shown.setUTCHours(part.hour!, part.minute!, part.second!, 0);
  return shown.getTime() - Math.floor(at / 1000) * 1000;
}

/** True when the name is an IANA time zone this runtime knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}

/**
 * The instant at which clocks in a time zone show a local date-time (`2024-10-09T14:30`), e.g. for an agenda
 * published in local time. The offset is looked up at that moment, so summer time is right.
 */
export function instantFromLocal(local: string, timeZone: string): Date {
  const asUtc = Date.parse(`${local.length === 16 ? `${local}:00` : local}Z`);
  if (Number.isNaN(asUtc)) throw new Error(`Not a local date-time: ${local}`);
  const offsetAt = (t: number) => Date.parse(`${formatInstant(new Date(t), timeZone).slice(0, 19)}Z`) - t;
  const guess = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(guess));
}
