import { Module } from '@nestjs/common';
import { LiveFiles } from './live-files.service';

/**
 * `/live`: a page that shows the event stream and a live chart of the rates (plain HTML, JS and
 * CSS). Unknown files fall through to the app's 404; the security headers of configureApp apply.
 */
@Module({ providers: [LiveFiles] })
export class LiveModule {}
