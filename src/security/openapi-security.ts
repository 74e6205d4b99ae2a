import { OpenAPIObject } from '@nestjs/swagger';

export const API_KEY_SCHEME = 'api-key';
export const BEARER_SCHEME = 'bearer';
const WRITE_METHODS = ['post', 'put', 'patch', 'delete'] as const;

/**
 * Documents the API keys: the two ways to present one (so Swagger UI's "Authorize" button can
 * send it), and on every write operation the requirement and its 401. Follows ApiKeyGuard's own
 * rule — by HTTP method — so the document cannot drift from the guard.
 */
export function documentApiKeys(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.securitySchemes = {
    ...document.components.securitySchemes,
    [API_KEY_SCHEME]: {
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
      description: 'One of API_KEYS (needed for writes only when API_KEYS is set)',
    },
    [BEARER_SCHEME]: {
      type: 'http',
      scheme: 'bearer',
      description: 'One of API_KEYS, as Authorization: Bearer <key>',
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of WRITE_METHODS) {
      const operation = item[method];
      if (!operation) {
        continue;
      }
      operation.security = [{ [API_KEY_SCHEME]: [] }, { [BEARER_SCHEME]: [] }];
      operation.responses['401'] ??= {
        description: 'API_KEYS is set and the request has no key or a wrong one',
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } },
        },
      };
    }
  }
  return document;
}
