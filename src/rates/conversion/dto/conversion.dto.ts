import { ApiProperty } from '@nestjs/swagger';
import type { Conversion } from '../conversion.service';
import type { PathStep } from '../rate-graph';

/** One item on the way, as stored; `inverted` when travelled from `code` to `base`. */
export class ConversionStepDto {
  @ApiProperty({ example: 3 })
  item_id!: number;

  @ApiProperty({ example: 'USD' })
  base!: string;

  @ApiProperty({ example: 'EUR' })
  code!: string;

  @ApiProperty({
    example: 0.92,
    description: 'The rate stored (or in force at `at`): 1 base = rate code',
  })
  rate!: number;

  @ApiProperty({ example: true })
  inverted!: boolean;
}

export class ConversionDto {
  @ApiProperty({ example: 'EUR' })
  from!: string;

  @ApiProperty({ example: 'JPY' })
  to!: string;

  @ApiProperty({ example: 250 })
  amount!: number;

  @ApiProperty({ example: 163.04347826086956, description: '1 from = rate to' })
  rate!: number;

  @ApiProperty({ example: 40760.86956521739, description: 'amount × rate' })
  result!: number;

  @ApiProperty({ example: '2026-11-24T12:00:00.000Z', description: 'When the rates were in force' })
  at!: string;

  @ApiProperty({
    type: [ConversionStepDto],
    description: 'At most 3 steps; empty when from = to',
    example: [
      { item_id: 3, base: 'USD', code: 'EUR', rate: 0.92, inverted: true },
      { item_id: 7, base: 'USD', code: 'JPY', rate: 150, inverted: false },
    ],
  })
  path!: ConversionStepDto[];

  static from(conversion: Conversion): ConversionDto {
    return {
      from: conversion.from,
      to: conversion.to,
      amount: conversion.amount,
      rate: conversion.rate,
      result: conversion.result,
      at: conversion.at.toISOString(),
      path: stepsOf(conversion.path),
    };
  }
}

/** A rate graph keeps its paths, so each is written out once (read-only: it is only serialized). */
const steps = new WeakMap<PathStep[], ConversionStepDto[]>();

function stepsOf(path: PathStep[]): ConversionStepDto[] {
  let written = steps.get(path);
  if (!written) {
    written = path.map(({ edge, inverted }) => ({
      item_id: edge.itemId,
      base: edge.base,
      code: edge.code,
      rate: edge.rate,
      inverted,
    }));
    steps.set(path, written);
  }
  return written;
}
