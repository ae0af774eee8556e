const { Worker } = require('bullmq');
module.exports = new Worker('q', async () => {});
