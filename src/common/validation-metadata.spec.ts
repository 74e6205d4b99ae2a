import {
  getMetadataStorage,
  IsInt,
  IsString,
  MaxLength,
  registerDecorator,
  validateSync,
} from 'class-validator';
import { keepValidationMetadata } from './validation-metadata';

class Base {
  @IsString()
  name!: string;
}

class Child extends Base {
  @IsInt()
  count!: number;
}

const errorsOf = (object: object) =>
  validateSync(object, { whitelist: true, forbidNonWhitelisted: true }).map((e) => e.property);

describe('keepValidationMetadata', () => {
  beforeAll(() => keepValidationMetadata());

  it('validates as before: own and inherited rules, unknown properties refused', () => {
    expect(errorsOf(Object.assign(new Child(), { name: 'a', count: 1 }))).toEqual([]);
    expect(errorsOf(Object.assign(new Child(), { name: 1, count: 'x' })).sort()).toEqual([
      'count',
      'name',
    ]);
    expect(errorsOf(Object.assign(new Child(), { name: 'a', count: 1, extra: true }))).toEqual([
      'extra',
    ]);
  });

  it('looks a class up once per set of options, not on every call', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Child, '', false, false);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false)).toBe(first);
    expect(storage.getTargetValidationMetadatas(Child, '', true, false)).not.toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
    expect(Object.keys(storage.groupByPropertyName(first)).sort()).toEqual(['count', 'name']);
  });

  it('sees a rule registered after a class was validated', () => {
    const late = Object.assign(new Child(), { name: 'a long name', count: 1 });
    expect(errorsOf(late)).toEqual([]);
    MaxLength(3)(Base.prototype, 'name');
    expect(errorsOf(late)).toEqual(['name']);
  });

  it('is installed once however often it is called', () => {
    const storage = getMetadataStorage();
    const lookup = storage.getTargetValidationMetadatas;
    keepValidationMetadata();
    expect(storage.getTargetValidationMetadatas).toBe(lookup);
    // a custom decorator registers through the same storage
    registerDecorator({
      target: Child,
      propertyName: 'count',
      validator: { validate: (value: unknown) => value !== 13 },
    });
    expect(errorsOf(Object.assign(new Child(), { name: 'abc', count: 13 }))).toEqual(['count']);
  });
});
