import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Page } from '../common/pagination.dto';
import { Job } from './entities/job.entity';
import { JobsRepository } from './jobs.repository';

@Injectable()
export class JobsTypeormRepository extends JobsRepository {
  constructor(@InjectRepository(Job) private readonly repo: Repository<Job>) {
    super();
  }

  findById(id: string): Promise<Job | null> {
    return this.repo.findOneBy({ id });
  }

  findRunning(kind: string, tx?: EntityManager): Promise<Job | null> {
    return (tx ? tx.getRepository(Job) : this.repo).findOne({
      where: { kind, state: 'running' },
      order: { startedAt: 'DESC' },
    });
  }

  async list(limit: number, offset: number): Promise<Page<Job>> {
    const [items, total] = await this.repo.findAndCount({
      order: { startedAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return new Page(items, total);
  }

  save(tx: EntityManager, job: Job): Promise<Job> {
    return tx.getRepository(Job).save(job, { reload: false });
  }

  async failRunning(tx: EntityManager, reason: string, at: Date): Promise<number> {
    const result = await tx
      .getRepository(Job)
      .update(
        { state: 'running' },
        { state: 'failed', finishedAt: at, errors: JSON.stringify([reason]) },
      );
    return result.affected ?? 0;
  }
}
