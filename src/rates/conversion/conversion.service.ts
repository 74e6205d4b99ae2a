import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { EventEnvelope } from '../../events/domain-events';
import { DomainEvents } from '../../events/domain-events.service';
import { OrderedEventStream } from '../../events/stream/ordered-event-stream';
import { ItemsRepository } from '../items.repository';
import { Decimal, decimalOf, invert, multiply, toNumber } from './decimal';
import { ConvertQueryDto } from './dto/convert-query.dto';
import { PathStep, RateGraph } from './rate-graph';

export const MAX_STEPS = 3;

export interface Conversion {
  from: string;
  to: string;
  amount: number;
  rate: number;
  result: number;
  at: Date;
  path: PathStep[];
}

/**
 * Converts amounts through the items: a direct item, its inverse, or the shortest chain. The
 * current items are held in memory as a graph, dropped on any item or sync event (this
 * instance's at commit, others' through the ordered stream) and read again by the next call;
 * a past `at` reads the rates in force then with one query.
 */
@Injectable()
export class ConversionService implements OnModuleInit, OnModuleDestroy {
  private current?: Promise<RateGraph>;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly rates = new WeakMap<PathStep[], { exact: Decimal; value: number }>();

  constructor(
    private readonly items: ItemsRepository,
    private readonly events: DomainEvents,
    private readonly stream: OrderedEventStream,
  ) {}

  onModuleInit(): void {
    const invalidate = (envelope: EventEnvelope) => {
      if (envelope.event.startsWith('item.') || envelope.event.startsWith('rates.')) {
        this.current = undefined;
      }
    };
    this.unsubscribe.push(this.events.onCommitted(invalidate), this.stream.onEvent(invalidate));
  }

  onModuleDestroy(): void {
    this.unsubscribe.forEach((off) => off());
  }

  async convert(query: ConvertQueryDto): Promise<Conversion> {
    const now = new Date();
    if (query.at && query.at.getTime() > now.getTime()) {
      throw new DomainError(ErrorCode.InvalidInput, 'at must not be in the future');
    }
    const current = await this.currentGraph();
    for (const code of [query.from, query.to]) {
      if (!current.has(code)) {
        throw new DomainError(ErrorCode.NotFound, `no item has the currency ${code}`);
      }
    }
    const at = query.at ?? now;
    const graph = query.at ? new RateGraph(await this.items.rates(query.at)) : current;
    const path = query.from === query.to ? [] : graph.path(query.from, query.to, MAX_STEPS);
    if (!path) {
      throw new DomainError(
        ErrorCode.NotFound,
        `no rate from ${query.from} to ${query.to} within ${MAX_STEPS} steps` +
          (query.at ? ` in force at ${at.toISOString()}` : ''),
      );
    }
    const rate = this.rateOf(path);
    return {
      from: query.from,
      to: query.to,
      amount: query.amount,
      rate: rate.value,
      result: toNumber(multiply(rate.exact, decimalOf(query.amount))),
      at,
      path,
    };
  }

  /** The path's rate, the product of its steps; computed once per path the graph keeps. */
  private rateOf(path: PathStep[]): { exact: Decimal; value: number } {
    let rate = this.rates.get(path);
    if (!rate) {
      const exact = path.reduce(
        (product, { edge, inverted }) =>
          multiply(product, inverted ? invert(decimalOf(edge.rate)) : decimalOf(edge.rate)),
        decimalOf(1),
      );
      rate = { exact, value: toNumber(exact) };
      this.rates.set(path, rate);
    }
    return rate;
  }

  private currentGraph(): Promise<RateGraph> {
    if (!this.current) {
      const loading = this.items.rates().then((edges) => new RateGraph(edges));
      // a failed read is not kept: the next call tries again
      loading.catch(() => {
        if (this.current === loading) {
          this.current = undefined;
        }
      });
      this.current = loading;
    }
    return this.current;
  }
}
