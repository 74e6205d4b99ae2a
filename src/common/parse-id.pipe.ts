import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode } from './domain-error';

/** Largest id a 32-bit integer column holds; a bigger one can only be "not found" or a driver error. */
const MAX_ID = 2_147_483_647;

@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^\d{1,10}$/.test(value) || Number(value) < 1 || Number(value) > MAX_ID) {
      throw new DomainError(
        ErrorCode.InvalidInput,
        `id must be a positive integer (got "${value.slice(0, 40)}")`,
      );
    }
    return Number(value);
  }
}
