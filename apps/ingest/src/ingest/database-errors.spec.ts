import { databaseMessage, isDataError } from './database-errors';

const pgError = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe(isDataError.name, () => {
  it.each([
    ['22003 numeric value out of range', pgError('22003')],
    ['22P05 untranslatable character (NUL)', pgError('22P05')],
    ['23514 check constraint', pgError('23514')],
    ['54000 program limit (index row too big)', pgError('54000')],
    ['a TypeORM QueryFailedError wrapping 23505', { message: 'x', driverError: { code: '23505' } }],
    ['a TypeError from our own code', new TypeError('cannot read x')],
  ])('splits the batch for %s: it would fail the same on every retry', (_label, err) => {
    expect(isDataError(err)).toBe(true);
  });

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['57P01 admin shutdown', pgError('57P01')],
    ['53100 disk full', pgError('53100')],
    ['40P01 deadlock', pgError('40P01')],
    ['42P01 a table missing during a deploy', pgError('42P01')],
  ])('holds and retries for %s: the database, not the data', (_label, err) => {
    expect(isDataError(err)).toBe(false);
  });
});

describe(databaseMessage.name, () => {
  it("keeps the database's words on one line with the SQLSTATE", () => {
    expect(databaseMessage(pgError('23514', 'new row violates\n  check constraint "c"'))).toBe(
      'new row violates check constraint "c" (SQLSTATE 23514)',
    );
  });
});
