import { it } from 'vitest';
import supertest from 'supertest';

it('runs', () => supertest);
