import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { affectedBy, managerOf, Transaction } from '../database/transaction';
import { SqlDialect } from '../database/sql-dialect';
import { Page } from '../common/pagination.dto';
import { Job } from './entities/job.entity';
import { JobsRepository } from './jobs.repository';

@Injectable()
export class JobsTypeormRepository extends JobsRepository {
  constructor(
    @InjectRepository(Job) private readonly repo: Repository<Job>,
    private readonly sql: SqlDialect,
  ) {
    super();
  }

  findById(id: string): Promise<Job | null> {
    return this.repo.findOneBy({ id });
  }

  findRunning(kind: string, tx?: Transaction): Promise<Job | null> {
    return (tx ? managerOf(tx).getRepository(Job) : this.repo).findOne({
      where: { kind, state: 'running' },
      order: { startedAt: 'DESC' },
    });
  }

  listRunning(tx?: Transaction, kind?: string): Promise<Job[]> {
    return (tx ? managerOf(tx).getRepository(Job) : this.repo).find({
      where: kind === undefined ? { state: 'running' } : { kind, state: 'running' },
      order: { startedAt: 'ASC' },
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

  async insert(tx: Transaction, job: Job): Promise<void> {
    await managerOf(tx).getRepository(Job).insert(job);
  }

  async updateIfRunning(tx: Transaction, job: Job): Promise<boolean> {
    const { id: _id, kind: _kind, owner: _owner, startedAt: _startedAt, ...fields } = job;
    const result = await managerOf(tx)
      .getRepository(Job)
      .update({ id: job.id, state: 'running' }, fields);
    return (result.affected ?? 0) > 0;
  }

  pruneEnded(tx: Transaction, before: Date, limit: number): Promise<number> {
    const { sql } = this;
    // a running job has no finished_at, and is excluded by name too: its record is never pruned
    const ended = `SELECT id FROM jobs WHERE finished_at < ${sql.param(1)} AND state <> 'running' LIMIT ${sql.param(2)}`;
    return affectedBy(tx, `DELETE FROM jobs WHERE ${sql.inSubquery('id', ended)}`, [
      sql.timestamp(before),
      limit,
    ]);
  }
}
