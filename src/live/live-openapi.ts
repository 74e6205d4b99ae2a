import type { OpenAPIObject } from '@nestjs/swagger';

/** LiveFiles serves the page, out of Swagger's sight (no controller): its entry in /docs is added here. */
export function documentLivePage(document: OpenAPIObject): void {
  document.paths['/live'] = {
    get: {
      summary: 'The live page (HTML)',
      description:
        'A rates board kept live from `/ws/items` (rate, last change, sparkline per item), a chart ' +
        'of one item (line or candlesticks by interval), a conversion box over `/convert`, rate ' +
        'and product events listed apart, a form that creates an item. Reconnects by itself.',
      operationId: 'livePage',
      parameters: [],
      responses: {
        '200': {
          description: 'The page',
          content: { 'text/html': { schema: { type: 'string' } } },
        },
      },
      tags: ['live'],
    },
  };
}
