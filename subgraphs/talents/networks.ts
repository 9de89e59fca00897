import { badUserInput, notFound, serviceUnavailable } from '@talent-hub/platform/errors';
import type { Peers } from '@talent-hub/subgraph-lib/peers';

// The members of a network, asked of the regions subgraph, which owns organisations and their memberships (this
// subgraph never reads its database). Memberships are public reference data that change rarely, so an answer is
// kept for a minute per peer set: a dashboard asking for several ranges costs one call, not one per query.

/** Most members a network may have for its retention to be measured here. */
export const MAX_NETWORK_MEMBERS = 100;
const TTL_MS = 60_000;
const MAX_ENTRIES = 1_000;

const MEMBERS_QUERY = `query ($id: ID!, $first: Int) {
  organisation(id: $id) { id kind members(first: $first) { nodes { id } pageInfo { hasNextPage } } }
}`;

interface Entry {
  at: number;
  members: Promise<string[]>;
}

const caches = new WeakMap<Peers, Map<string, Entry>>();

interface OrganisationAnswer {
  id: string;
  kind: string;
  members: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } };
}

async function askRegions(peers: Peers, networkId: string): Promise<string[]> {
  let result;
  try {
    result = await peers.call('regions', MEMBERS_QUERY, { id: networkId, first: MAX_NETWORK_MEMBERS });
  } catch {
    throw serviceUnavailable('The network could not be read (the regions subgraph did not answer). Try again.');
  }
  const organisation = result.data?.organisation as OrganisationAnswer | null | undefined;
  if (!organisation) throw notFound('network', 'networkId');
  if (organisation.kind !== 'NETWORK') {
    throw badUserInput('Argument "networkId" must name an organisation of kind NETWORK, e.g. `talent-hub`.', 'networkId');
  }
  if (organisation.members.pageInfo.hasNextPage) {
    throw badUserInput(`The network named in "networkId" has more than ${MAX_NETWORK_MEMBERS} members; its retention cannot be measured here.`, 'networkId');
  }
  return organisation.members.nodes.map((m) => m.id).sort();
}

/** The ids of a network's direct members, in id order. Refusals (unknown network, not a network) are not kept. */
export function networkMembers(peers: Peers, networkId: string, now = Date.now()): Promise<string[]> {
  let cache = caches.get(peers);
  if (!cache) caches.set(peers, (cache = new Map()));
  const hit = cache.get(networkId);
  if (hit && now - hit.at < TTL_MS) return hit.members;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const members = askRegions(peers, networkId);
  cache.set(networkId, { at: now, members });
  members.catch(() => cache.delete(networkId));
  return members;
}
