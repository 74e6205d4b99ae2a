import { ValueTransformer } from 'typeorm';

/** pg returns a bigint as a string; positions stay far below 2^53, so a number is exact. */
export const bigintNumber: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | number | null) => (value === null ? value : Number(value)),
};
