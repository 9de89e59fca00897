import type { Kysely } from 'kysely';
import { connectionLoader, listLoader, rowLoader, type ConnectionLoader } from '@talent-hub/subgraph-lib/loaders';
import { NESTED_PAGE } from '@talent-hub/subgraph-lib/pagination';
import * as exchanges from './db/exchanges.js';
import * as mentoring from './db/mentoring.js';
import type { TalentsDatabase } from './db/types.js';

// This request's DataLoaders for mentoring and exchanges (spread into loaders.ts): one batched statement per batch.
// A list with arguments (side, status, period, or the organisation a reader may see) gets one connection loader per
// distinct set of arguments, so a page of talents asking the same thing costs one statement.

/** A gate that opens once per turn of the event loop: every caller until then passes together. */
function pageGate(): { pass(): Promise<void> } {
  let open: Promise<void> | null = null;
  return {
    pass: () =>
      (open ??= new Promise<void>((resolve) =>
        setImmediate(() => {
          open = null;
          resolve();
        }),
      )),
  };
}

/** One connection loader per distinct filter, made on first use within the request. */
function perFilter<F, Row>(make: (filter: F) => ConnectionLoader<Row>): (filter: F) => ConnectionLoader<Row> {
  const made = new Map<string, ConnectionLoader<Row>>();
  return (filter) => {
    const key = JSON.stringify(filter);
    let loader = made.get(key);
    if (!loader) made.set(key, (loader = make(filter)));
    return loader;
  };
}

export function createMentoringLoaders(db: Kysely<TalentsDatabase>) {
  return {
    /**
     * Lets every talent of a page through at once: the loads made after it, whatever path each talent took to get
     * there (a policy answered at once, or after a lookup), fall in one batch. It batches until the event loop's
     * next turn (setImmediate), after the promise chains started by the same database answer have all run.
     */
    pageGate: pageGate(),
    learningGoals: listLoader((ids) => mentoring.listLearningGoals(db, ids), (g) => g.talent_id),
    skillGaps: listLoader((ids) => mentoring.listSkillGaps(db, ids), (g) => g.talent_id),
    mentorship: rowLoader((ids) => mentoring.findMentorships(db, ids), (m) => m.id),
    mentorshipGoals: listLoader((ids) => mentoring.listMentorshipGoals(db, ids), (g) => g.mentorship_id),
    // Read by the talent_mentorships policy for readers who may not read the talent's personal data.
    mentoringOrganisations: listLoader((ids) => mentoring.listMentoringOrganisations(db, ids), (r) => r.talent_id),
    exchange: rowLoader((ids) => exchanges.findExchanges(db, ids), (e) => e.id),
    // Read by the talent_exchanges policy, likewise.
    exchangeHosts: listLoader((ids) => exchanges.listHostOrganisations(db, ids), (r) => r.talent_id),
    mentorshipsOfTalent: perFilter((filter: mentoring.MentorshipListFilter) =>
      connectionLoader<mentoring.MentorshipOf>({
        list: 'Talent.mentorships',
        limits: NESTED_PAGE,
        keyLength: 2,
        keyOf: mentoring.mentorshipKey,
        fetch: (keys, page) => mentoring.listMentorshipsOf(db, keys, filter, page),
        parentOf: (m) => m.parent_key,
        count: (keys) => mentoring.countMentorshipsOf(db, keys, filter),
      }),
    ),
    exchangesOfTalent: perFilter((filter: exchanges.TalentExchangeFilter) =>
      connectionLoader<exchanges.ExchangeOf>({
        list: 'Talent.exchanges',
        limits: NESTED_PAGE,
        keyLength: 2,
        keyOf: exchanges.exchangeKey,
        fetch: (keys, page) => exchanges.listExchangesOfTalents(db, keys, filter, page),
        parentOf: (e) => e.parent_key,
        count: (keys) => exchanges.countExchangesOfTalents(db, keys, filter),
      }),
    ),
    hostedExchanges: perFilter((filter: exchanges.HostedExchangeFilter) =>
      connectionLoader<exchanges.ExchangeOf>({
        list: 'Organisation.hostedExchanges',
        limits: NESTED_PAGE,
        keyLength: 2,
        keyOf: exchanges.exchangeKey,
        fetch: (keys, page) => exchanges.listHostedExchanges(db, keys, filter, page),
        parentOf: (e) => e.parent_key,
        count: (keys) => exchanges.countHostedExchanges(db, keys, filter),
      }),
    ),
  };
}
