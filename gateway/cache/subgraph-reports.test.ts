import { describe, expect, it } from 'vitest';
import { cacheReportExtension, changeTags, collectedReports, dependencyTags, noteUnanswered, takeReport } from './subgraph-reports.js';

describe('subgraph cache reports at the gateway', () => {
  it('takes the report out of each answer and gathers the reports of one request', () => {
    const context = {};
    const first: { data: unknown; extensions?: Record<string, unknown> } = {
      data: null,
      extensions: { [cacheReportExtension]: { changed: ['Talent:t1', '@org:aer'] } },
    };
    const second: { data: unknown; extensions?: Record<string, unknown> } = {
      data: {},
      extensions: { other: 1, [cacheReportExtension]: { changed: ['Event:e1'], dependsOn: ['Talent:t2', 42] } },
    };
    takeReport(context, first);
    takeReport(context, second);
    expect(first.extensions).toBeUndefined();
    expect(second.extensions).toEqual({ other: 1 });
    const reports = collectedReports(context);
    expect([...reports.changed]).toEqual(['Talent:t1', '@org:aer', 'Event:e1']);
    expect([...reports.dependsOn]).toEqual(['Talent:t2']);
    expect(reports.unanswered).toBe(false);
    expect(collectedReports({}).changed.size).toBe(0);
  });

  it('removes a report even without a request to give it to', () => {
    const answer: { extensions?: Record<string, unknown> } = { extensions: { [cacheReportExtension]: { changed: ['Talent:t1'] } } };
    takeReport(undefined, answer);
    expect(answer.extensions).toBeUndefined();
  });

  it('notes a fetch that got no answer', () => {
    const context = {};
    noteUnanswered(context);
    expect(collectedReports(context).unanswered).toBe(true);
  });

  it('drops, for a change, the entity, its type held without key, its lists; a whole type; an organisation', () => {
    expect(changeTags(['Talent:t1', 'Registration', '@org:aer', '@unknown'])).toEqual([
      'e:Talent:t1',
      'u:Talent',
      'l:Talent',
      't:Registration',
      'l:Registration',
      'o:aer',
    ]);
  });

  it('tags an answer with the entities its rows came from, and a type alone as held without key', () => {
    expect(dependencyTags(['Talent:t1', 'Talent', '@org:aer', 'Talent:t1'])).toEqual(['e:Talent:t1', 'u:Talent']);
  });
});
