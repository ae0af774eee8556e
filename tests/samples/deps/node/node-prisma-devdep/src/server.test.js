import { describe, it, expect } from 'vitest';

describe('server', () => it('works', () => expect(1).toBe(1)));
