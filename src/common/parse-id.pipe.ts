import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode } from './domain-error';
import { MAX_ID } from './entity-id';

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
