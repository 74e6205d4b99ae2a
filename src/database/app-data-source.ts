import { DataSource } from 'typeorm';

/**
 * The app's DataSource. What holds resources on its connection (statements prepared on the
 * SQLite handle, which SQLite refuses to close under) lets go of them just before it closes,
 * after every write of the shutdown, whatever order Nest runs the modules' hooks in.
 */
export class AppDataSource extends DataSource {
  private readonly beforeDestroy: (() => Promise<void>)[] = [];

  /** `hook` runs once, when the DataSource is destroyed, before its connection closes. */
  onDestroy(hook: () => Promise<void>): void {
    this.beforeDestroy.push(hook);
  }

  override async destroy(): Promise<void> {
    for (const hook of this.beforeDestroy.splice(0)) {
      await hook();
    }
    await super.destroy();
  }
}
