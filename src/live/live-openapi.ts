import type { OpenAPIObject } from '@nestjs/swagger';

/** ServeStaticModule serves the page, out of Swagger's sight: its entry in /docs is added here. */
export function documentLivePage(document: OpenAPIObject): void {
  document.paths['/live'] = {
    get: {
      summary: 'The live page (HTML)',
      description:
        'Events from `/ws/items` as they happen, a live chart of a rate (its history, then the ' +
        'stream), a form that creates an item. Reconnects by itself.',
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
