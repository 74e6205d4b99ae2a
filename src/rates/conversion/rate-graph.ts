import type { RateEdge } from '../items.repository';

/** One step of a conversion: an item travelled base → code, or code → base when inverted. */
export interface PathStep {
  edge: RateEdge;
  inverted: boolean;
}

interface Link {
  to: string;
  step: PathStep;
}

/**
 * The currencies and the items between them, as an undirected graph (an item is travelled either
 * way). Paths are found by breadth-first search from both ends, so only currencies on some
 * shortest path are ever visited.
 */
export class RateGraph {
  private readonly links = new Map<string, Link[]>();
  /** Paths found so far: the graph never changes (a changed item makes a new graph). */
  private readonly paths = new Map<string, PathStep[] | null>();

  constructor(edges: RateEdge[]) {
    for (const edge of edges) {
      if (edge.base !== edge.code) {
        this.link(edge.base, { to: edge.code, step: { edge, inverted: false } });
        this.link(edge.code, { to: edge.base, step: { edge, inverted: true } });
      }
    }
  }

  has(currency: string): boolean {
    return this.links.has(currency);
  }

  /**
   * A path with the fewest steps (at most `maxSteps`), or null. Among paths of that length the
   * freshest wins: the one whose least recently updated item was updated last; then fewer
   * inverted steps; then the lower item ids, so the answer never depends on the load order.
   */
  path(from: string, to: string, maxSteps: number): PathStep[] | null {
    const key = `${maxSteps} ${from} ${to}`;
    let found = this.paths.get(key);
    if (found === undefined) {
      found = this.search(from, to, maxSteps);
      this.paths.set(key, found);
    }
    return found;
  }

  private search(from: string, to: string, maxSteps: number): PathStep[] | null {
    const fromStart = this.distances(from, maxSteps);
    const length = fromStart.get(to);
    if (length === undefined) {
      return null;
    }
    const toEnd = this.distances(to, length);
    let best: PathStep[] | null = null;
    const walk = (at: string, steps: PathStep[]): void => {
      if (steps.length === length) {
        if (at === to && (best === null || better(steps, best))) {
          best = [...steps];
        }
        return;
      }
      for (const link of this.links.get(at) ?? []) {
        // stay on shortest paths: one step further from the start, one closer to the end
        if (
          fromStart.get(link.to) === steps.length + 1 &&
          toEnd.get(link.to) === length - steps.length - 1
        ) {
          steps.push(link.step);
          walk(link.to, steps);
          steps.pop();
        }
      }
    };
    walk(from, []);
    return best;
  }

  private distances(from: string, maxSteps: number): Map<string, number> {
    const seen = new Map([[from, 0]]);
    let frontier = [from];
    for (let distance = 1; distance <= maxSteps && frontier.length > 0; distance++) {
      const next: string[] = [];
      for (const currency of frontier) {
        for (const link of this.links.get(currency) ?? []) {
          if (!seen.has(link.to)) {
            seen.set(link.to, distance);
            next.push(link.to);
          }
        }
      }
      frontier = next;
    }
    return seen;
  }

  private link(from: string, link: Link): void {
    const links = this.links.get(from);
    if (links) {
      links.push(link);
    } else {
      this.links.set(from, [link]);
    }
  }
}

function better(a: PathStep[], b: PathStep[]): boolean {
  const stalest = (steps: PathStep[]) => Math.min(...steps.map((s) => s.edge.updatedAt.getTime()));
  const inversions = (steps: PathStep[]) => steps.filter((s) => s.inverted).length;
  if (stalest(a) !== stalest(b)) {
    return stalest(a) > stalest(b);
  }
  if (inversions(a) !== inversions(b)) {
    return inversions(a) < inversions(b);
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i].edge.itemId !== b[i].edge.itemId) {
      return a[i].edge.itemId < b[i].edge.itemId;
    }
  }
  return false;
}
