/** Row ids are positive integers in a 32-bit column: a larger one can only be "not found". */
export const MAX_ID = 2_147_483_647;

/** Swagger's description of an `:id` path parameter. */
export const ID_PARAM = {
  name: 'id',
  type: Number,
  example: 1,
  description: 'Positive integer',
} as const;
