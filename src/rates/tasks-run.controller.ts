import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JobDto } from '../jobs/dto/job.dto';
import { RateLimited } from '../security/security.decorators';
import { RatesSyncService } from './rates-sync.service';

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
  async run(): Promise<JobDto> {
    return JobDto.from(await this.sync.start());
  }
}
