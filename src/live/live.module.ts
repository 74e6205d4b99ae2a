import { Module } from '@nestjs/common';
import { LiveAssets } from './live-assets';
import { LiveController } from './live.controller';

/** The live page and its files (plain HTML, JS and CSS; the chart library from node_modules). */
@Module({
  controllers: [LiveController],
  providers: [LiveAssets],
})
export class LiveModule {}
