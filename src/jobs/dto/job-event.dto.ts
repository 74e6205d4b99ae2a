import { OmitType } from '@nestjs/swagger';
import { JobDto } from './job.dto';

/** The payload of `job.started` and `job.finished`: the job as `GET /tasks/{id}` shows it, minus the URL. */
export class JobEventDto extends OmitType(JobDto, ['status_url'] as const) {}
