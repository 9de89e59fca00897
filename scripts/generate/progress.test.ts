import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';

function run(interactive: boolean) {
  const written: string[] = [];
  let now = 0;
  const progress = new Progress({ output: { write: (text: string) => written.push(text) }, interactive, now: () => now });
  const table = progress.start('talent_skills', 'talents', 1000);
  for (let i = 0; i < 10; i++) {
    now += 1000;
    table.add(100, 400);
  }
  const result = table.finish();
  return { written, result };
}

describe('progress', () => {
  it('prints plain lines every few seconds and one when done, when stderr is not a terminal', () => {
    const { written, result } = run(false);
    expect(written.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
    expect(written[0]).toBe('talent_skills      [##########----------]  50%  500/1,000 talents, 2,000 rows  400 rows/s  ETA 5.0s\n');
    expect(written.at(-1)).toBe('talent_skills      [####################] 100%  1,000/1,000 talents, 4,000 rows  400 rows/s  in 10s\n');
    expect(written).toHaveLength(3);
    expect(result).toEqual({ table: 'talent_skills', rows: 4000, ms: 10_000 });
  });

  it('redraws one line in place on a terminal', () => {
    const { written } = run(true);
    expect(written.slice(1).every((line) => line.startsWith('\r'))).toBe(true);
    expect(written).toContain('\rtalent_skills      [####################] 100%  1,000/1,000 talents, 4,000 rows  400 rows/s  finishing…\x1b[K');
    expect(written.at(-1)).toMatch(/in 10s\x1b\[K\n$/);
  });
});
