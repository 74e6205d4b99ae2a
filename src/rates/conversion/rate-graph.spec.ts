import type { RateEdge } from '../items.repository';
import { RateGraph } from './rate-graph';

let nextId = 1;
const edge = (base: string, code: string, updated = 0): RateEdge => ({
  itemId: nextId++,
  base,
  code,
  rate: 2,
  updatedAt: new Date(updated),
});
const route = (graph: RateGraph, from: string, to: string, max = 3) =>
  graph
    .path(from, to, max)
    ?.map((s) => (s.inverted ? `${s.edge.code}>${s.edge.base}` : `${s.edge.base}>${s.edge.code}`));

describe('RateGraph', () => {
  it('takes a direct item, its inverse, or the fewest hops', () => {
    const graph = new RateGraph([
      edge('USD', 'EUR'),
      edge('USD', 'JPY'),
      edge('JPY', 'KRW'),
      edge('KRW', 'THB'),
      edge('THB', 'VND'),
    ]);
    expect(route(graph, 'USD', 'EUR')).toEqual(['USD>EUR']);
    expect(route(graph, 'EUR', 'USD')).toEqual(['EUR>USD']);
    expect(route(graph, 'EUR', 'JPY')).toEqual(['EUR>USD', 'USD>JPY']);
    expect(route(graph, 'USD', 'THB')).toEqual(['USD>JPY', 'JPY>KRW', 'KRW>THB']);
    expect(route(graph, 'EUR', 'THB')).toBeUndefined();
    expect(route(graph, 'USD', 'XXX')).toBeUndefined();
  });

  it('among paths of one length takes the one whose stalest item is the freshest', () => {
    const graph = new RateGraph([
      edge('EUR', 'USD', 10),
      edge('USD', 'JPY', 50),
      edge('EUR', 'GBP', 20),
      edge('GBP', 'JPY', 30),
    ]);
    // USD's path holds the newest item (50) but also the stalest (10)
    expect(route(graph, 'EUR', 'JPY')).toEqual(['EUR>GBP', 'GBP>JPY']);
  });

  it('then prefers fewer inverted steps, then lower item ids', () => {
    const graph = new RateGraph([edge('EUR', 'USD', 5), edge('USD', 'EUR', 5)]);
    expect(route(graph, 'USD', 'EUR')).toEqual(['USD>EUR']);
    const twins = new RateGraph([
      edge('A1', 'B1', 1),
      edge('B1', 'C1', 1),
      edge('A1', 'D1', 1),
      edge('D1', 'C1', 1),
    ]);
    expect(route(twins, 'A1', 'C1')).toEqual(['A1>B1', 'B1>C1']);
  });
});
