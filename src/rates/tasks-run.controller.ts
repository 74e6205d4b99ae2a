import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-responses.decorator';
import { NoBody } from '../common/no-body';
import { JobDto } from '../jobs/dto/job.dto';
import { RateLimited } from '../security/security.decorators';
import { RatesSyncService } from './rates-sync.service';

/** Not beside GET /tasks in the jobs module: jobs sits below rates and must not depend on it. */
@ApiTags('tasks')
@Controller('tasks')
export class TasksRunController {
  constructor(private readonly sync: RatesSyncService) {}

  @Post('run')
  @HttpCode(202)
  @RateLimited()
  @ApiOperation({
    summary: 'Run the rates sync now',
    description:
      'Returns at once with the `rates.sync` job; while one runs, returns that same job.',
  })
  @ApiAcceptedResponse({ type: JobDto })
  @ApiErrorResponses(400)
  async run(@NoBody() _body: void): Promise<JobDto> {
    return JobDto.from(await this.sync.start());
  }
}
