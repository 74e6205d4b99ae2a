/** E2E: the real app over HTTP against a real database (DATABASE_URL picks SQLite or PostgreSQL). */
module.exports = {
  rootDir: '..',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: 'test/.*\\.e2e-spec\\.ts$',
  transform: { '^.+\\.ts$': 'ts-jest' },
  testEnvironment: 'node',
  testTimeout: 60000,
  maxWorkers: 2,
};
