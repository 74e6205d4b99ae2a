import { IsInt, Max, Min } from 'class-validator';

/** `{id}` of a NATS request: a positive integer, as a REST path id. */
export class IdMessageDto {
  @Max(2_147_483_647, { message: 'id must be a positive integer' })
  @Min(1, { message: 'id must be a positive integer' })
  @IsInt({ message: 'id must be a positive integer' })
  id!: number;
}
