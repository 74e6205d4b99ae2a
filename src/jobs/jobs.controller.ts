import { Controller, Get, Param, ParseUUIDPipe, Query, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { PageInterceptor } from '../common/page.interceptor';
import { ApiErrorResponses } from '../common/api-error-responses.decorator';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Page, PaginationQueryDto } from '../common/pagination.dto';
import { JobDto } from './dto/job.dto';
import { JobsService } from './jobs.service';

const jobIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new DomainError(ErrorCode.InvalidInput, 'job_id must be a UUID'),
});

@ApiTags('tasks')
@Controller('tasks')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  // only list routes pay for the interceptor (rxjs per request): GET by id is the hot path
  @UseInterceptors(PageInterceptor)
  @ApiOperation({
    summary: 'Recent jobs, newest first',
    description:
      'Product refreshes and rates syncs, with their counts and first errors; `limit` and ' +
      '`offset` page through them; sets X-Total-Count.',
  })
  @ApiOkResponse({ type: [JobDto], headers: { 'X-Total-Count': { schema: { type: 'integer' } } } })
  @ApiErrorResponses(400)
  async list(@Query() query: PaginationQueryDto): Promise<Page<JobDto>> {
    return (await this.jobs.list(query.limit, query.offset)).map((job) => JobDto.from(job));
  }

  @Get(':job_id')
  @ApiOperation({
    summary: 'One job and its progress',
    description:
      'The `status_url` of `refresh_all` and `tasks/run`: poll it until `state` is no longer ' +
      '`running`. 400 when `job_id` is not a UUID, 404 when no such job is kept.',
  })
  @ApiParam({ name: 'job_id', format: 'uuid' })
  @ApiOkResponse({ type: JobDto })
  @ApiErrorResponses(400, 404)
  async get(@Param('job_id', jobIdPipe) id: string): Promise<JobDto> {
    return JobDto.from(await this.jobs.get(id));
  }
}
