const { Pool } = require('pg');
const pool = new Pool({ connectionString: process.env.DATABASE_URL });
module.exports = { now: async () => (await pool.query('select now()')).rows[0] };
