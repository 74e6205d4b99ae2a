import { IsInt, Max, Min } from 'class-validator';
import { MAX_ID } from './entity-id';

/** `{id}` of a NATS request: a positive integer, as a REST path id. */
export class IdMessageDto {
  @Max(MAX_ID, { message: 'id must be a positive integer' })
  @Min(1, { message: 'id must be a positive integer' })
  @IsInt({ message: 'id must be a positive integer' })
  id!: number;
}
