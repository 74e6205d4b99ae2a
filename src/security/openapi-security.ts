import { OpenAPIObject } from '@nestjs/swagger';

export const API_KEY_SCHEME = 'api-key';
export const BEARER_SCHEME = 'bearer';
const WRITE_METHODS = ['post', 'put', 'patch', 'delete'] as const;
const READ_METHODS = ['get', 'head', 'options'] as const;

/**
 * Documents the API keys: the two ways to present one (so Swagger UI's "Authorize" button can
 * send it), on every write operation the requirement and its 401, and on every read `security: []`
 * (open to anyone). Follows ApiKeyGuard's own rule — by HTTP method — so the document cannot
 * drift from the guard.
 */
export function documentApiKeys(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.securitySchemes = {
    ...document.components.securitySchemes,
    [API_KEY_SCHEME]: {
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
      description:
        'One of API_KEYS. Writes need one when API_KEYS is set; with API_KEYS empty, writes are ' +
        'taken from loopback clients only, unless ALLOW_ANONYMOUS_WRITES=true',
    },
    [BEARER_SCHEME]: {
      type: 'http',
      scheme: 'bearer',
      description: 'One of API_KEYS, as Authorization: Bearer <key>',
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of READ_METHODS) {
      const operation = item[method];
      if (operation) {
        operation.security ??= [];
      }
    }
    for (const method of WRITE_METHODS) {
      const operation = item[method];
      if (!operation) {
        continue;
      }
      operation.security = [{ [API_KEY_SCHEME]: [] }, { [BEARER_SCHEME]: [] }];
      operation.responses['401'] ??= {
        description:
          'API_KEYS is set and the request has no key or a wrong one; or API_KEYS is empty and ' +
          'the client is not on loopback (protected mode)',
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } },
        },
      };
    }
  }
  return document;
}
